package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.out.WorkloadIntents.Kind;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.InMemoryWorkloadIntents;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.StopMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The outbox of cluster calls: intents written with the change, calls made after the commit,
 * exactly one resource whatever dies when, and the cluster's refusals recorded on the job.
 */
class WorkloadRelayTest {

  private static final Duration WAIT = Duration.ofMillis(100);
  private static final Executor DEAD_PROCESS = task -> {}; // killed before the call was made

  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final InMemoryWorkloadIntents intents = new InMemoryWorkloadIntents();
  private final FakeCluster cluster = new FakeCluster();
  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);

  private WorkloadRelay relay(Executor executor) {
    return new WorkloadRelay(intents, cluster, jobs, tasks, tx, clock, executor);
  }

  private SubmitJobService submitVia(WorkloadRelay relay) {
    return InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
        .workloads(new WorkloadOutbox(cluster, intents, relay, tx, clock, WAIT))
        .build();
  }

  private ControlJobService controlVia(WorkloadRelay relay) {
    return new ControlJobService(
        jobs,
        tasks,
        tasks,
        tasks,
        new InMemoryTelemetryRepository(jobs),
        tx,
        clock,
        new WorkloadOutbox(cluster, intents, relay, tx, clock, WAIT));
  }

  private JobSnapshot submit(SubmitJobService service) {
    return service
        .submit(
            new SubmitJobCommand(
                ci,
                aJob().placedOn(new KubernetesPlacement("ml", null, "{}")).definition(),
                false,
                null))
        .job();
  }

  @Test
  void theClusterIsCalledOnlyAfterTheCommitAndTheIntentIsGoneOnceItWasMade() {
    JobSnapshot job = submit(submitVia(relay(Runnable::run)));

    assertThat(cluster.resources).containsOnlyKeys("ml/job-" + job.id());
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aChangeThatRollsBackCallsNoClusterAndALaunchOfAJobNeverStoredCallsNothing() {
    WorkloadRelay relay = relay(Runnable::run);
    WorkloadOutbox outbox = new WorkloadOutbox(cluster, intents, relay, tx, clock, WAIT);
    JobSnapshot job =
        aJob().placedOn(new KubernetesPlacement("ml", "train", "{}")).buildJob().snapshot();

    assertThatThrownBy(
            () ->
                tx.inTransaction(
                    () -> {
                      outbox.launch(job);
                      throw new IllegalStateException("the commit failed");
                    }))
        .hasMessage("the commit failed");
    assertThat(cluster.calls).as("no relay runs for a rolled-back change").isEmpty();

    // the in-memory outbox keeps what PostgreSQL would have rolled back; relayed, it finds no job
    assertThat(relay.deliverDue()).isEqualTo(1);
    assertThat(cluster.calls).isEmpty();
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aProcessKilledBetweenCommitAndCallLeavesTheIntentForTheNextOneWhichCreatesOneResource() {
    JobSnapshot job = submit(submitVia(relay(DEAD_PROCESS)));
    assertThat(cluster.calls).as("killed before the call").isEmpty();
    assertThat(intents.pending()).extracting(i -> i.kind()).containsExactly(Kind.LAUNCH);

    int delivered = relay(Runnable::run).deliverDue(); // the next process's periodic pass

    assertThat(delivered).isEqualTo(1);
    assertThat(cluster.resources).containsOnlyKeys("ml/job-" + job.id());
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aProcessKilledAfterTheCallButBeforeRecordingItRepeatsTheCallHarmlessly() {
    JobSnapshot job = submit(submitVia(relay(DEAD_PROCESS)));
    List<io.jobplane.application.port.out.WorkloadIntents.Intent> claimed =
        intents.claim(clock.instant(), WorkloadRelay.LEASE, 10);
    cluster.launch(jobs.findById(job.id()).orElseThrow()); // made; then the process died

    assertThat(relay(Runnable::run).deliverDue()).as("leased to the dead process").isZero();
    clock.advance(WorkloadRelay.LEASE.plusSeconds(1));
    assertThat(relay(Runnable::run).deliverDue()).isEqualTo(1);

    assertThat(claimed).hasSize(1);
    assertThat(cluster.calls).containsExactly("launch job-" + job.id(), "launch job-" + job.id());
    assertThat(cluster.resources).as("the second create found its own resource").hasSize(1);
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void anUnreachableClusterIsTriedAgainLaterBackingOffAndNothingIsLost() {
    cluster.unreachableFor = 2;
    JobSnapshot job = submit(submitVia(relay(Runnable::run)));
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(intents.pending()).hasSize(1);
    assertThat(intents.lastError(intents.pending().get(0).id())).contains("connection refused");

    WorkloadRelay later = relay(Runnable::run);
    assertThat(later.deliverDue()).as("not due before its backoff").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(later.deliverDue()).as("second failure").isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(later.deliverDue()).as("backing off: 2 s now").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(later.deliverDue()).isEqualTo(1);

    assertThat(cluster.resources).containsOnlyKeys("ml/job-" + job.id());
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aClusterRefusalReachesTheCallerAndRejectsTheStoredJobWithTheClustersReason() {
    cluster.refusal = DomainException.invalid("kubernetes", "the cluster refused: quota exceeded");

    assertThatThrownBy(() -> submit(submitVia(relay(Runnable::run))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT))
        .hasMessageContaining("quota exceeded")
        .hasMessageEndingWith("ended REJECTED)");

    JobSnapshot job = jobs.all().get(0);
    assertThat(job.status()).isEqualTo(JobStatus.REJECTED);
    assertThat(job.error().reason()).isEqualTo(WorkloadRelay.REFUSED);
    assertThat(job.error().message()).contains("quota exceeded");
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aRefusalAfterTheRequestStoppedWaitingShowsOnTheJobOnly() {
    WorkloadRelay slow = relay(DEAD_PROCESS); // the relay has not answered in time
    JobSnapshot job = submit(submitVia(slow));
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);

    cluster.refusal = DomainException.conflict("a Job resource ml/x already exists");
    relay(Runnable::run).deliverDue();

    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.REJECTED);
  }

  @Test
  void aStopOfAResourceThatIsGoneConfirmsTheStop() {
    WorkloadRelay relay = relay(Runnable::run);
    JobSnapshot running =
        jobs.insert(
            aJob()
                .placedOn(new KubernetesPlacement("ml", "train", "{}"))
                .withStatus(JobStatus.RUNNING)
                .buildJob());

    JobSnapshot stopped =
        controlVia(relay).stop(new StopJobCommand(ci, running.id(), StopMode.GRACEFUL, null));

    assertThat(cluster.calls).containsExactly("stop train");
    assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aJobsCallsAreMadeInOrderOneAtATimeAndNoneForAJobDeletedMeanwhile() {
    JobSnapshot job = submit(submitVia(relay(DEAD_PROCESS)));
    ControlJobService control = controlVia(relay(DEAD_PROCESS));
    control.stop(new StopJobCommand(ci, job.id(), StopMode.GRACEFUL, null));
    control.delete(ci, job.id());
    assertThat(intents.pending())
        .extracting(i -> i.kind())
        .containsExactly(Kind.LAUNCH, Kind.STOP, Kind.DELETE);

    assertThat(intents.claim(clock.instant(), WorkloadRelay.LEASE, 10))
        .as("only the oldest of a job is due")
        .extracting(i -> i.kind())
        .containsExactly(Kind.LAUNCH);
    clock.advance(WorkloadRelay.LEASE.plusSeconds(1));
    while (relay(Runnable::run).deliverDue() > 0) {
      // each pass makes the job's next call
    }

    // the job was deleted before its launch was made: the launch and the stop find no job and
    // call nothing, and the delete (which tolerates a missing resource) comes last
    assertThat(cluster.calls).containsExactly("delete job-" + job.id());
    assertThat(cluster.resources).isEmpty();
    assertThat(intents.pending()).isEmpty();
  }

  @Test
  void aDeleteTheClusterRefusesIsKeptAndTriedAgainSinceItsJobIsAlreadyGone() {
    JobSnapshot job = submit(submitVia(relay(Runnable::run)));
    ControlJobService control = controlVia(relay(Runnable::run));
    control.stop(new StopJobCommand(ci, job.id(), StopMode.GRACEFUL, null));
    cluster.refusal = DomainException.invalid("kubernetes", "forbidden: cannot delete");

    control.delete(ci, job.id());

    assertThat(jobs.findById(job.id())).isEmpty();
    assertThat(intents.pending()).extracting(i -> i.kind()).containsExactly(Kind.DELETE);
    cluster.refusal = null;
    clock.advance(Duration.ofSeconds(1));
    relay(Runnable::run).deliverDue();
    assertThat(cluster.resources).isEmpty();
    assertThat(intents.pending()).isEmpty();
  }

  /** A cluster whose resources are keyed by namespace/name, with create-if-absent semantics. */
  private static final class FakeCluster implements WorkloadRuntime {
    final Map<String, JobId> resources = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    DomainException refusal;
    int unreachableFor;

    private void reach(String call) {
      if (unreachableFor > 0) {
        unreachableFor--;
        throw new IllegalStateException("connection refused");
      }
      if (refusal != null) {
        throw refusal;
      }
      calls.add(call);
    }

    private static String key(KubernetesPlacement k) {
      return k.namespace() + "/" + k.resourceName();
    }

    @Override
    public void admit(JobSnapshot job) {}

    @Override
    public void launch(JobSnapshot job) {
      KubernetesPlacement k = job.definition().kubernetes();
      reach("launch " + k.resourceName());
      resources.putIfAbsent(key(k), job.id());
    }

    @Override
    public void stop(JobSnapshot job) {
      KubernetesPlacement k = job.definition().kubernetes();
      reach("stop " + k.resourceName());
      if (!resources.containsKey(key(k))) {
        throw DomainException.conflict("the job's resource " + key(k) + " no longer exists");
      }
    }

    @Override
    public void restart(JobSnapshot job) {
      reach("restart " + job.definition().kubernetes().resourceName());
    }

    @Override
    public void delete(String namespace, String resourceName) {
      reach("delete " + resourceName);
      resources.remove(namespace + "/" + resourceName);
    }
  }
}
