package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobDependencies.Condition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TimelineEvent;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * depends_on on the real PostgreSQL: jobs wait in PENDING, are queued in the transaction that ends
 * the last job they wait for, and end SKIPPED (and so do the jobs waiting for them) when one ends
 * otherwise, whichever path ends it.
 */
class JobDependenciesIT {

  private final PostgresStore store = TestDatabase.store();
  private final StoreServices services = new StoreServices(store);
  private final SubmitJobService submit = services.submit;
  private final ControlJobService control = services.control;
  private final WorkerProtocolService worker = services.worker;
  private final Caller ci = services.submitter;
  private final Caller w = services.workerCaller;

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobId job(String name) {
    return submit
        .submit(
            new SubmitJobCommand(ci, JobTestData.aJob().withName(name).definition(), false, null))
        .job()
        .id();
  }

  private JobId job(String name, Condition condition, JobId... dependsOn) {
    return submit
        .submit(
            new SubmitJobCommand(
                ci,
                JobTestData.aJob().withName(name).withMaxAttempts(1).definition(),
                false,
                null,
                new JobDependencies(List.of(dependsOn), condition)))
        .job()
        .id();
  }

  private JobId after(String name, JobId... dependsOn) {
    return job(name, Condition.SUCCEEDED, dependsOn);
  }

  private JobStatus status(JobId id) {
    return store.jobRepository().findById(id).orElseThrow().status();
  }

  /** Everything claimable now, by name. */
  private List<Lease> claimAll() {
    return worker.claim(new ClaimCommand(w, "w-1", "host", null, null, 100, 30));
  }

  private static List<String> names(List<Lease> leases) {
    return leases.stream().map(l -> l.job().definition().name()).sorted().toList();
  }

  private LeaseRef ref(Lease lease) {
    return new LeaseRef(
        w, lease.job().id(), lease.task().index(), lease.task().epoch(), lease.leaseToken());
  }

  private void complete(Lease lease) {
    worker.complete(ref(lease), "{}", false);
  }

  private Lease only(List<Lease> leases, String name) {
    return leases.stream()
        .filter(l -> l.job().definition().name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aDiamondRunsInOrderEachJobQueuedWhenTheLastJobItWaitsForSucceeds() {
    JobId a = job("a");
    JobId b = after("b", a);
    JobId c = after("c", a);
    JobId d = after("d", b, c);

    assertThat(List.of(status(b), status(c), status(d))).containsOnly(JobStatus.PENDING);
    QueueWait waiting = worker.view(ci, d).waiting().orElseThrow();
    assertThat(waiting.reason()).isEqualTo(QueueWait.Reason.DEPENDENCIES);
    assertThat(waiting.waitingFor()).containsExactly(b, c);

    List<Lease> first = claimAll();
    assertThat(names(first)).containsExactly("a");
    complete(first.get(0));
    assertThat(List.of(status(b), status(c))).containsOnly(JobStatus.QUEUED);
    assertThat(status(d)).isEqualTo(JobStatus.PENDING);

    List<Lease> second = claimAll();
    assertThat(names(second)).containsExactly("b", "c");
    complete(only(second, "b"));
    assertThat(worker.view(ci, d).waiting().orElseThrow().waitingFor()).containsExactly(c);
    complete(only(second, "c"));
    assertThat(status(d)).isEqualTo(JobStatus.QUEUED);

    assertThat(names(claimAll())).containsExactly("d");
    assertThat(store.jobRepository().timeline(d, 10, 0).items())
        .extracting(TimelineEvent::message)
        .anyMatch(m -> m.contains("the 2 jobs it depends on ended as required"));
  }

  @Test
  void aFailedJobSkipsTheJobsWaitingForItAndTheJobsWaitingForThose() {
    // max_attempts 1: the parent fails once and for all
    JobId parent =
        submit
            .submit(
                new SubmitJobCommand(
                    ci,
                    JobTestData.aJob().withName("parent").withMaxAttempts(1).definition(),
                    false,
                    null))
            .job()
            .id();
    JobId child = after("child", parent);
    JobId grandchild = after("grandchild", child);
    JobId tolerant = job("tolerant", Condition.FINISHED, parent);

    Lease lease = only(claimAll(), "parent");
    worker.fail(ref(lease), new JobError("EXIT_CODE", "exit 1"), 1, false);

    assertThat(status(parent)).isEqualTo(JobStatus.FAILED);
    assertThat(status(child)).isEqualTo(JobStatus.SKIPPED);
    assertThat(status(grandchild)).isEqualTo(JobStatus.SKIPPED);
    assertThat(status(tolerant)).isEqualTo(JobStatus.QUEUED);
    assertThat(store.jobRepository().findById(grandchild).orElseThrow().error().message())
        .contains(child.toString(), "SKIPPED");
    assertThat(store.jobRepository().timeline(child, 10, 0).items())
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.SKIPPED);
    assertThat(worker.tasks(ci, child)).as("a skipped job never had tasks").isEmpty();
  }

  @Test
  void jobsThatHaveAlreadyEndedDecideANewJobAtOnce() {
    JobId done = job("done");
    complete(only(claimAll(), "done"));
    JobId stopped = job("stopped");
    control.stop(new StopJobCommand(ci, stopped, StopMode.GRACEFUL, null));

    assertThat(status(after("runs", done))).isEqualTo(JobStatus.QUEUED);
    assertThat(status(after("never", done, stopped))).isEqualTo(JobStatus.SKIPPED);
    assertThat(status(job("anyway", Condition.FINISHED, done, stopped)))
        .isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void anUnknownJobOrAnotherProjectsJobIsAnInvalidArgumentAndNothingIsStored() {
    JobId elsewhere =
        submit
            .submit(
                new SubmitJobCommand(
                    new Caller("other", Set.of(Role.SUBMITTER), null),
                    JobTestData.aJob().inProject("other").definition(),
                    false,
                    null))
            .job()
            .id();
    JobId missing = JobId.random();
    long before = store.jobRepository().countByStatus().values().stream().mapToLong(n -> n).sum();

    assertThatThrownBy(() -> after("orphan", missing, elsewhere))
        .isInstanceOf(DomainException.class)
        .satisfies(
            e -> {
              DomainException d = (DomainException) e;
              assertThat(d.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
              assertThat(d.errors())
                  .extracting(DomainException.FieldError::field)
                  .containsExactly("depends_on[0]", "depends_on[1]");
            });
    assertThat(store.jobRepository().countByStatus().values().stream().mapToLong(n -> n).sum())
        .isEqualTo(before);
  }

  @Test
  void stoppingAWaitingJobSkipsTheJobsWaitingForItAndAWaitingJobCannotBeSuspended() {
    JobId a = job("a");
    JobId b = after("b", a);
    JobId c = after("c", b);

    assertThatThrownBy(() -> control.suspend(ci, b))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("waits for the jobs it depends on");
    control.stop(new StopJobCommand(ci, b, StopMode.GRACEFUL, null));

    assertThat(status(b)).isEqualTo(JobStatus.STOPPED);
    assertThat(status(c)).isEqualTo(JobStatus.SKIPPED);
    assertThat(status(a)).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void twoJobsEndingAtOnceInTwoTransactionsReleaseTheJobWaitingForBoth() throws Exception {
    for (int round = 0; round < 10; round++) {
      JobId a = job("a" + round);
      JobId b = job("b" + round);
      JobId both = after("both" + round, a, b);
      List<Lease> leases = claimAll();
      Lease la = only(leases, "a" + round);
      Lease lb = only(leases, "b" + round);
      CyclicBarrier start = new CyclicBarrier(2);
      CompletableFuture<Void> one =
          CompletableFuture.runAsync(
              () -> {
                await(start);
                complete(la);
              });
      CompletableFuture<Void> two =
          CompletableFuture.runAsync(
              () -> {
                await(start);
                complete(lb);
              });
      CompletableFuture.allOf(one, two).get();

      assertThat(status(both)).as("round %d", round).isEqualTo(JobStatus.QUEUED);
      complete(only(claimAll(), "both" + round));
    }
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
