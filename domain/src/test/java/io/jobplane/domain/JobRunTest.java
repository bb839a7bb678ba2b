package io.jobplane.domain;

import static io.jobplane.domain.JobTestFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobRunTest {

  private static final Instant T1 = T0.plusSeconds(10);
  private static final String TOKEN = "hash-of-the-lease-token";

  /** What the holder of a lease of epoch {@code epoch} presents. */
  private static LeaseProof p(long epoch) {
    return new LeaseProof(epoch, TOKEN);
  }

  private static JobRun queuedRun(int parallelism, Integer timeoutSeconds, int maxAttempts) {
    JobDefinition d = JobTestFixtures.definition();
    JobDefinition def =
        JobDefinition.builder()
            .name(d.name())
            .type(d.type())
            .project(d.project())
            .labels(d.labels())
            .input(d.input())
            .maxAttempts(maxAttempts)
            .priority(d.priority())
            .queue(d.queue())
            .runtime(d.runtime())
            .timeoutSeconds(timeoutSeconds)
            .parallelism(parallelism)
            .build();
    Job job = Job.submit(JobId.random(), def, "alice", T0, "api:alice");
    job.enqueue(T0, "api:alice");
    job = Job.restore(job.snapshot());
    return JobRun.of(job, JobRun.newTasks(job.snapshot(), 0, T0));
  }

  private static void assertStale(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.STALE_LEASE));
  }

  @Test
  void theFirstLeaseStartsTheJobAndEveryLeaseRaisesTheEpoch() {
    JobRun run = queuedRun(2, null, 3);
    TaskState t0 = run.lease(0, "w1", "h1", 30, TOKEN, T1);
    assertThat(t0.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(t0.epoch()).isEqualTo(1);
    assertThat(t0.leaseExpiresAt()).isEqualTo(T1.plusSeconds(30));
    assertThat(run.job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(run.job().uncommittedEvents())
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.STARTED);
    run.lease(1, "w2", "h2", 30, TOKEN, T1);
    assertThat(run.job().uncommittedEvents()).hasSize(1);
    assertThat(run.changedTasks()).hasSize(2);
  }

  @Test
  void aStaleEpochOrAFinishedTaskIsRefusedAndChangesNothing() {
    JobRun run = queuedRun(1, null, 3);
    TaskState t = run.lease(0, "w1", "h1", 30, TOKEN, T1);
    assertStale(() -> run.heartbeat(0, p(t.epoch() + 1), 10, null, T1));
    assertStale(() -> run.complete(0, p(t.epoch() - 1), "{}", true, T1));
    assertThat(run.task(0)).isEqualTo(t);
    run.complete(0, p(t.epoch()), "{\"rows\":1}", true, T1.plusSeconds(1));
    assertStale(() -> run.heartbeat(0, p(t.epoch()), 10, null, T1.plusSeconds(2)));
    assertStale(() -> run.fail(0, p(t.epoch()), new JobError("X", "y"), 1, true, 0.5, T1));
    assertThat(run.job().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void theRightEpochWithoutTheLeaseTokenIsRefusedWithoutNamingEitherOrTheTasksState() {
    JobRun run = queuedRun(1, null, 3);
    TaskState t = run.lease(0, "w1", "h1", 30, TOKEN, T1);
    LeaseProof guessed = new LeaseProof(t.epoch(), "hash-of-a-guess");
    assertThatThrownBy(() -> run.complete(0, guessed, "{}", true, T1))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("does not hold the task's current lease")
        .hasMessageNotContaining("epoch " + t.epoch())
        .hasMessageNotContaining("lease is " + t.epoch())
        .hasMessageNotContaining(TOKEN)
        .hasMessageNotContaining("RUNNING");
    assertThat(run.task(0)).isEqualTo(t);
    run.complete(0, p(t.epoch()), "{}", true, T1);
    // after the end, a stranger still learns nothing, the holder learns the lease is over
    assertThatThrownBy(() -> run.heartbeat(0, guessed, 10, null, T1))
        .hasMessageNotContaining("SUCCEEDED");
    assertThatThrownBy(() -> run.heartbeat(0, p(t.epoch()), 10, null, T1))
        .hasMessageContaining("SUCCEEDED");
  }

  @Test
  void anExpiredLeaseIsRefusedEvenBeforeTheSweeperRuns() {
    JobRun run = queuedRun(1, null, 3);
    TaskState t = run.lease(0, "w1", "h1", 30, TOKEN, T1);
    assertStale(() -> run.heartbeat(0, p(t.epoch()), 10, null, T1.plusSeconds(30)));
  }

  @Test
  void aReportThatThrowsInsideAtomicallyLeavesTheRunAsItWas() {
    JobRun run = queuedRun(2, null, 3);
    long e0 = run.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    long e1 = run.lease(1, "w2", "h", 30, TOKEN, T1).epoch();
    TaskState before0 = run.task(0);
    JobSnapshot job = run.job().snapshot();
    List<TimelineEvent> events = run.job().uncommittedEvents();
    List<TaskState> changed = run.changedTasks();

    assertThatThrownBy(
            () ->
                run.atomically(
                    () -> {
                      run.complete(0, p(e0), null, null, T1); // changes task, progress
                      run.complete(1, p(e1), null, null, T1); // ... and the job: SUCCEEDED
                      throw DomainException.conflict("refused after changing things");
                    }))
        .hasMessageContaining("refused after changing things");

    assertThat(run.task(0)).isEqualTo(before0);
    assertThat(run.task(1).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(run.job().snapshot()).isEqualTo(job);
    assertThat(run.job().uncommittedEvents()).isEqualTo(events);
    assertThat(run.changedTasks()).isEqualTo(changed);
    // and what follows applies to the state from before
    assertThat(run.atomically(() -> run.complete(1, p(e1), null, null, T1)).status())
        .isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(run.job().status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void heartbeatsExtendTheLeaseAndDriveTheJobProgress() {
    JobRun run = queuedRun(2, null, 3);
    TaskState t = run.lease(0, "w1", "h1", 30, TOKEN, T1);
    TaskState beat =
        run.heartbeat(0, p(t.epoch()), 50, new TaskItems(10, 5, 0), T1.plusSeconds(20));
    assertThat(beat.leaseExpiresAt()).isEqualTo(T1.plusSeconds(50));
    assertThat(run.job().snapshot().progress()).isEqualTo(25);
  }

  @Test
  void allTasksSucceededMakesTheJobSucceed() {
    JobRun run = queuedRun(2, null, 3);
    long e0 = run.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    long e1 = run.lease(1, "w2", "h", 30, TOKEN, T1).epoch();
    run.complete(0, p(e0), null, false, T1);
    assertThat(run.job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(run.job().snapshot().progress()).isEqualTo(50);
    run.complete(1, p(e1), null, true, T1);
    assertThat(run.job().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(TaskSummary.of(run.tasks()).changed()).isTrue();
  }

  @Test
  void mixedResultsEndPartiallyFailedAndNoSuccessEndsFailedWithTheFirstError() {
    JobRun run = queuedRun(3, null, 3);
    long[] e = new long[3];
    for (int i = 0; i < 3; i++) {
      e[i] = run.lease(i, "w" + i, "h", 30, TOKEN, T1).epoch();
    }
    run.complete(0, p(e[0]), null, null, T1);
    run.fail(1, p(e[1]), new JobError("EXIT_CODE", "exit code 2"), 2, false, 0.5, T1);
    run.complete(2, p(e[2]), null, null, T1);
    assertThat(run.job().status()).isEqualTo(JobStatus.PARTIALLY_FAILED);
    assertThat(run.job().snapshot().error().message()).contains("1 of 3", "exit code 2");
    TaskSummary s = TaskSummary.of(run.tasks());
    assertThat(List.of(s.total(), s.completed(), s.failed())).containsExactly(3, 2, 1);

    JobRun none = queuedRun(2, null, 1);
    long a = none.lease(0, "w", "h", 30, TOKEN, T1).epoch();
    long b = none.lease(1, "w", "h", 30, TOKEN, T1).epoch();
    none.fail(0, p(a), new JobError("FIRST", "first"), 1, false, 0.5, T1);
    none.fail(1, p(b), new JobError("SECOND", "second"), 1, true, 0.5, T1);
    assertThat(none.job().status()).isEqualTo(JobStatus.FAILED);
    assertThat(none.job().snapshot().error().reason()).isEqualTo("FIRST");
  }

  @Test
  void aRetryableFailureRequeuesWithBackoffAndTheJobGoesBackToTheQueueWhenNothingElseRuns() {
    JobRun run = queuedRun(1, null, 3);
    long e = run.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    TaskState t = run.fail(0, p(e), new JobError("EXIT_CODE", "exit 1"), 1, true, 0.5, T1);
    assertThat(t.status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(t.attempt()).isEqualTo(2);
    assertThat(t.availableAt()).isEqualTo(T1.plusSeconds(2));
    assertThat(run.job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(run.job().uncommittedEvents())
        .extracting(TimelineEvent::type)
        .containsExactly(EventType.STARTED, EventType.RETRIED);
    assertThat(run.leasable(0, T1.plusSeconds(1))).isFalse();
    TaskState again = run.lease(0, "w2", "h", 30, TOKEN, T1.plusSeconds(2));
    assertThat(again.epoch()).isEqualTo(e + 1);
    assertThat(run.job().snapshot().attempt()).isEqualTo(2);
  }

  @Test
  void backoffDoublesIsCappedAndJittersByTwentyPercent() {
    assertThat(TaskState.backoff(1, 0.5)).isEqualTo(Duration.ofSeconds(2));
    assertThat(TaskState.backoff(3, 0.5)).isEqualTo(Duration.ofSeconds(8));
    assertThat(TaskState.backoff(30, 0.5)).isEqualTo(Duration.ofMinutes(5));
    assertThat(TaskState.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(1600));
    assertThat(TaskState.backoff(1, 1.0)).isEqualTo(Duration.ofMillis(2400));
  }

  @Test
  void theSweeperRequeuesAnExpiredLeaseAndFailsItWhenAttemptsAreUsedUp() {
    JobRun run = queuedRun(1, null, 2);
    run.lease(0, "w1", "h", 30, TOKEN, T1);
    assertThat(run.sweep(0.5, T1.plusSeconds(29)).any()).isFalse();
    assertThat(run.sweep(0.5, T1.plusSeconds(30)).expiredLeases()).isEqualTo(1);
    assertThat(run.task(0).attempt()).isEqualTo(2);
    assertThat(run.task(0).error().reason()).isEqualTo("LEASE_EXPIRED");
    Instant later = T1.plusSeconds(60);
    run.lease(0, "w2", "h", 30, TOKEN, later);
    run.sweep(0.5, later.plusSeconds(31));
    assertThat(run.task(0).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(run.job().status()).isEqualTo(JobStatus.FAILED);
  }

  @Test
  void gracefulStopStopsQueuedTasksAtOnceAndWaitsForRunningOnes() {
    JobRun run = queuedRun(2, null, 3);
    long e = run.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    run.requestStop(StopMode.GRACEFUL, 20, T1, "api:bob");
    assertThat(run.job().status()).isEqualTo(JobStatus.STOPPING);
    assertThat(run.task(1).status()).isEqualTo(TaskStatus.STOPPED);
    assertThat(run.task(0).stopDeadline()).isEqualTo(T1.plusSeconds(20));
    run.stopped(0, p(e), T1.plusSeconds(5));
    assertThat(run.job().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void anOverdueStopIsForcedByTheSweeperAndForceRevokesAtOnce() {
    JobRun run = queuedRun(1, null, 3);
    long e = run.lease(0, "w1", "h", 600, TOKEN, T1).epoch();
    run.requestStop(StopMode.GRACEFUL, null, T1, "api:bob");
    assertThat(run.sweep(0.5, T1.plusSeconds(30)).forcedStops()).isEqualTo(1);
    assertThat(run.job().status()).isEqualTo(JobStatus.STOPPED);

    JobRun forced = queuedRun(1, null, 3);
    long f = forced.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    forced.requestStop(StopMode.FORCE, null, T1, "api:bob");
    assertThat(forced.task(0).status()).isEqualTo(TaskStatus.STOPPED);
    assertStale(() -> forced.heartbeat(0, p(f), 1, null, T1));
    assertThat(e).isEqualTo(f);
  }

  @Test
  void aJobPastItsTimeoutTimesOutWithItsLeasesRevoked() {
    JobRun run = queuedRun(2, 60, 3);
    long e = run.lease(0, "w1", "h", 30, TOKEN, T1).epoch();
    run.heartbeat(0, p(e), 10, null, T1.plusSeconds(25));
    JobRun.Swept swept = run.sweep(0.5, T1.plusSeconds(60));
    assertThat(swept.timedOutTasks()).isEqualTo(2);
    assertThat(run.job().status()).isEqualTo(JobStatus.TIMED_OUT);
    assertThat(run.tasks()).extracting(TaskState::status).containsOnly(TaskStatus.TIMED_OUT);
    assertStale(() -> run.heartbeat(0, p(e), 20, null, T1.plusSeconds(61)));
  }

  @Test
  void aNewRunContinuesTheEpochsSoOldWorkersStayFenced() {
    JobSnapshot s = queuedRun(1, null, 3).job().snapshot();
    assertThat(JobRun.newTasks(s, 7, T1))
        .singleElement()
        .extracting(TaskState::epoch)
        .isEqualTo(7L);
  }

  @Test
  void aWorkerCommandIsValidated() {
    assertThat(
            new WorkerCommand(List.of("sh", "-c", "echo hi"), java.util.Map.of("A_1", "x")).env())
        .containsEntry("A_1", "x");
    assertThatThrownBy(() -> new WorkerCommand(List.of(), null))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new WorkerCommand(List.of("x"), java.util.Map.of("1A", "x")))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new WorkerCommand(List.of("x".repeat(8193)), null))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new WorkerCommand(java.util.Collections.nCopies(257, "a"), null))
        .isInstanceOf(DomainException.class);
  }
}
