package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.LongPollClaimsUseCase.LongPollClaim;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryChangeSignals;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A submit to a queue a worker's claim is parked on leases the job in its own transaction. */
class SubmitHandOffTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final WorkerProtocolService worker =
      InMemoryServices.workerProtocol(jobs, tasks, new InMemoryTelemetryRepository(jobs), tx, clock)
          .build();
  private final InMemoryChangeSignals signals = new InMemoryChangeSignals();
  private final LongPollClaimsService longPolls =
      new LongPollClaimsService(
          worker, (queues, now) -> Optional.empty(), signals, ClaimWaitLimits.DEFAULTS, clock);
  private final List<String> claimingThreads = new CopyOnWriteArrayList<>();
  private final SubmitJobService submit =
      InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
          .groupCommit(1, 8)
          .parkedClaims(
              (queue, type, project) ->
                  longPolls
                      .reserve(queue, type, project)
                      .map(
                          r ->
                              new ParkedClaims.Reservation() {
                                @Override
                                public List<Lease> claim() {
                                  claimingThreads.add(Thread.currentThread().getName());
                                  return r.claim();
                                }

                                @Override
                                public void settle(List<Lease> committed) {
                                  r.settle(committed);
                                }
                              }))
          .build();

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller fleet = new Caller("fleet", Set.of(Role.WORKER), null);

  @AfterEach
  void close() {
    submit.close();
    longPolls.close();
  }

  private CompletableFuture<List<Lease>> park(Caller caller, List<String> types) {
    CompletableFuture<List<Lease>> answer =
        longPolls.claim(
            new LongPollClaim(
                new ClaimCommand(caller, "w1", "host", List.of("default"), types, 1, 30),
                Duration.ofSeconds(20)));
    assertThat(answer).isNotDone();
    return answer;
  }

  private Submitted submitted(JobTestData data) {
    return submit.submit(new SubmitJobCommand(ci, data.definition(), false, null));
  }

  @Test
  void aJobForAParkedClaimIsLeasedInTheSubmitsTransactionAndAnsweredStarted() throws Exception {
    CompletableFuture<List<Lease>> answer = park(fleet, null);

    Submitted submitted = submitted(JobTestData.aJob());

    assertThat(submitted.job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(claimingThreads).containsExactly(Thread.currentThread().getName());
    List<Lease> leases = answer.get(5, TimeUnit.SECONDS);
    assertThat(leases)
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.job().id()).isEqualTo(submitted.job().id());
              assertThat(l.leaseToken()).isNotBlank();
            });
    assertThat(jobs.events(submitted.job().id()))
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.SUBMITTED, EventType.QUEUED, EventType.STARTED);
    assertThat(longPolls.parkedClaims()).isZero();
  }

  @Test
  void aParkedClaimThatMayNotTakeTheJobIsNotTakenAndKeepsWaiting() {
    CompletableFuture<List<Lease>> answer = park(fleet, List.of("another-type"));

    Submitted submitted = submitted(JobTestData.aJob());

    assertThat(submitted.job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(claimingThreads).isEmpty();
    assertThat(answer).isNotDone();
  }

  @Test
  void withoutAParkedClaimTheSubmitIsStoredAsBefore() {
    JobSnapshot job = submitted(JobTestData.aJob()).job();

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(claimingThreads).isEmpty();
  }

  @Test
  void aSuspendedJobIsNotHandedOff() {
    CompletableFuture<List<Lease>> answer = park(fleet, null);

    JobSnapshot job =
        submit.submit(new SubmitJobCommand(ci, JobTestData.aJob().definition(), true, null)).job();

    assertThat(job.status()).isEqualTo(JobStatus.SUSPENDED);
    assertThat(claimingThreads).isEmpty();
    assertThat(answer).isNotDone();
  }

  @Test
  void aJobSubmittedInsideACallersTransactionWaitsForItsCommitInstead() {
    CompletableFuture<List<Lease>> answer = park(fleet, null);

    JobSnapshot job = tx.inTransaction(() -> submitted(JobTestData.aJob()).job());

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(claimingThreads).isEmpty();
    assertThat(answer).isNotDone();
  }

  @Test
  void aClaimThatFailsInTheTransactionDoesNotFailTheSubmitAndIsSettledEmpty() {
    List<List<Lease>> settled = new CopyOnWriteArrayList<>();
    SubmitJobService failing =
        InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock)
            .parkedClaims(
                (queue, type, project) ->
                    Optional.of(
                        new ParkedClaims.Reservation() {
                          @Override
                          public List<Lease> claim() {
                            throw new IllegalStateException("the database went away");
                          }

                          @Override
                          public void settle(List<Lease> committed) {
                            settled.add(committed);
                          }
                        }))
            .build();

    JobSnapshot job =
        failing
            .submit(new SubmitJobCommand(ci, JobTestData.aJob().definition(), false, null))
            .job();

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    // the rollback of the failed attempt is PostgreSQL's (SubmitHandOffIT); in memory there is none
    assertThat(settled).containsExactly(List.of());
    assertThat(jobs.findById(job.id())).isPresent();
  }
}
