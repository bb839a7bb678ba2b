package io.jobplane.domain;

import static io.jobplane.domain.JobTestFixtures.T0;
import static io.jobplane.domain.JobTestFixtures.jobIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobTest {

  private static final Instant T1 = T0.plusSeconds(60);

  /** Every aggregate operation with the status it leads to when it is allowed. */
  static final Map<String, BiFunction<Job, Instant, TimelineEvent>> OPERATIONS =
      Map.ofEntries(
          Map.entry("enqueue", (j, t) -> j.enqueue(t, "test")),
          Map.entry("suspend", (j, t) -> j.suspend(t, "test")),
          Map.entry("resume", (j, t) -> j.resume(t, "test")),
          Map.entry("start", (j, t) -> j.start(t, "test")),
          Map.entry("stop", (j, t) -> j.requestStop(StopMode.GRACEFUL, 10, t, "test")),
          Map.entry("succeed", (j, t) -> j.succeed(t, "test")),
          Map.entry("fail", (j, t) -> j.fail(new JobError("E", "boom"), t, "test")),
          Map.entry("timeOut", (j, t) -> j.timeOut(t, "test")),
          Map.entry("reject", (j, t) -> j.reject(new JobError("R", "no"), t, "test")),
          Map.entry("skip", (j, t) -> j.skip(JobId.random(), JobStatus.FAILED, t, "test")),
          Map.entry("restart", (j, t) -> j.restart(null, null, t, "test")),
          Map.entry(
              "partiallyFail",
              (j, t) -> j.partiallyFail(new JobError("PARTIAL", "1 of 2 failed"), t, "test")));

  static Stream<Arguments> everyOperationFromEveryState() {
    return EnumSet.allOf(JobStatus.class).stream()
        .flatMap(s -> OPERATIONS.keySet().stream().map(op -> Arguments.of(s, op)));
  }

  @ParameterizedTest(name = "{1} from {0}")
  @MethodSource("everyOperationFromEveryState")
  void everyOperationEitherFollowsTheStateMachineOrIsRejected(JobStatus from, String operation) {
    Job job = jobIn(from);
    long eventsBefore = job.uncommittedEvents().size();
    try {
      TimelineEvent event = OPERATIONS.get(operation).apply(job, T1);
      assertThat(from.canTransitionTo(job.status()))
          .as("%s -> %s must be allowed", from, job.status())
          .isTrue();
      assertThat(event.from()).isEqualTo(from);
      assertThat(event.to()).isEqualTo(job.status());
      assertThat(job.uncommittedEvents()).hasSize((int) eventsBefore + 1);
    } catch (DomainException e) {
      assertThat(e.reason()).isEqualTo(DomainException.Reason.ILLEGAL_TRANSITION);
      assertThat(job.status()).as("a refused transition changes nothing").isEqualTo(from);
      assertThat(job.uncommittedEvents()).hasSize((int) eventsBefore);
    }
  }

  @Test
  void aSubmittedJobIsPendingInItsFirstRunAndRecordsTheSubmission() {
    Job job = Job.submit(JobId.random(), JobTestFixtures.definition(), "alice", T0, "api:alice");
    assertThat(job.status()).isEqualTo(JobStatus.PENDING);
    assertThat(job.snapshot().runId()).isEqualTo(1);
    assertThat(job.snapshot().attempt()).isEqualTo(1);
    assertThat(job.snapshot().desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(job.uncommittedEvents())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.type()).isEqualTo(EventType.SUBMITTED);
              assertThat(e.source()).isEqualTo("api:alice");
            });
  }

  @Test
  void stoppingAQueuedJobStopsItAtOnce() {
    Job job = jobIn(JobStatus.QUEUED);
    job.requestStop(StopMode.GRACEFUL, 30, T1, "api:bob");
    assertThat(job.status()).isEqualTo(JobStatus.STOPPED);
    assertThat(job.snapshot().finishedAt()).isEqualTo(T1);
    assertThat(job.snapshot().desiredState()).isEqualTo(DesiredState.STOPPED);
  }

  @Test
  void stoppingARunningJobGracefullyWaitsForTheRuntime() {
    Job job = jobIn(JobStatus.RUNNING);
    TimelineEvent e = job.requestStop(StopMode.GRACEFUL, 30, T1, "api:bob");
    assertThat(job.status()).isEqualTo(JobStatus.STOPPING);
    assertThat(e.type()).isEqualTo(EventType.STOP_REQUESTED);
    assertThat(job.snapshot().stopMode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(job.snapshot().stopTimeoutSeconds()).isEqualTo(30);
    job.confirmStopped(T1.plusSeconds(5), "worker:w1");
    assertThat(job.status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void forceStopsARunningOrStoppingJobWithoutWaiting() {
    Job running = jobIn(JobStatus.RUNNING);
    running.requestStop(StopMode.FORCE, null, T1, "api:bob");
    assertThat(running.status()).isEqualTo(JobStatus.STOPPED);

    Job stopping = jobIn(JobStatus.STOPPING);
    stopping.requestStop(StopMode.FORCE, null, T1, "api:bob");
    assertThat(stopping.status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void askingAStoppingJobToStopGracefullyAgainIsRejected() {
    Job job = jobIn(JobStatus.STOPPING);
    assertThatThrownBy(() -> job.requestStop(StopMode.GRACEFUL, null, T1, "api:bob"))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("already stopping");
  }

  @Test
  void stoppingAFinishedJobIsRejected() {
    Job job = jobIn(JobStatus.SUCCEEDED);
    assertThatThrownBy(() -> job.requestStop(StopMode.FORCE, null, T1, "api:bob"))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.ILLEGAL_TRANSITION);
  }

  @Test
  void restartStartsANewRunFromACheckpointWithNewParallelism() {
    Job job = jobIn(JobStatus.FAILED);
    TimelineEvent e = job.restart("chk-7", 4, T1, "api:alice");
    JobSnapshot s = job.snapshot();
    assertThat(s.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(s.runId()).isEqualTo(2);
    assertThat(s.attempt()).isEqualTo(1);
    assertThat(s.checkpointId()).isEqualTo("chk-7");
    assertThat(s.definition().parallelism()).isEqualTo(4);
    assertThat(s.error()).isNull();
    assertThat(s.startedAt()).isNull();
    assertThat(s.finishedAt()).isNull();
    assertThat(s.desiredState()).isEqualTo(DesiredState.RUNNING);
    assertThat(e.type()).isEqualTo(EventType.RESTARTED);
    assertThat(e.runId()).isEqualTo(2);
    assertThat(e.message()).contains("chk-7").contains("parallelism 4");
  }

  @Test
  void aRejectedJobCannotBeRestarted() {
    Job job = jobIn(JobStatus.REJECTED);
    assertThatThrownBy(() -> job.restart(null, null, T1, "api:alice"))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void restartWithAnInvalidParallelismIsAnInvalidArgument() {
    Job job = jobIn(JobStatus.STOPPED);
    assertThatThrownBy(() -> job.restart(null, 0, T1, "api:alice"))
        .isInstanceOf(DomainException.class)
        .extracting(e -> ((DomainException) e).reason())
        .isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
    assertThat(job.status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void aRetryQueuesTheNextAttemptUntilAttemptsRunOut() {
    Job job = jobIn(JobStatus.RUNNING);
    job.retry(new JobError("CRASH", "worker died"), T1, "system");
    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.snapshot().attempt()).isEqualTo(2);
    job.start(T1, "w");
    job.retry(new JobError("CRASH", "worker died"), T1, "system");
    job.start(T1, "w");
    assertThatThrownBy(() -> job.retry(new JobError("CRASH", "again"), T1, "system"))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("all 3 attempts");
  }

  @Test
  void queueAndElapsedTimesAreDerivedFromTheTimestamps() {
    Job job = Job.submit(JobId.random(), JobTestFixtures.definition(), "alice", T0, "a");
    job.enqueue(T0, "a");
    job.start(T0.plusMillis(1500), "w");
    assertThat(job.snapshot().queueTimeMs(T1)).isEqualTo(1500L);
    assertThat(job.snapshot().elapsedTimeMs(T0.plusMillis(4500))).isEqualTo(3000L);
    job.succeed(T0.plusMillis(9500), "w");
    assertThat(job.snapshot().elapsedTimeMs(T1.plusSeconds(999))).isEqualTo(8000L);
    assertThat(job.snapshot().progress()).isEqualTo(100);
  }

  @Test
  void progressIsBoundedAndOnlyReportedWhileActive() {
    Job running = jobIn(JobStatus.RUNNING);
    running.reportProgress(42, T1);
    assertThat(running.snapshot().progress()).isEqualTo(42);
    assertThatThrownBy(() -> running.reportProgress(101, T1)).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> jobIn(JobStatus.QUEUED).reportProgress(5, T1))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void onlyFinishedJobsCanBeDeleted() {
    jobIn(JobStatus.SUCCEEDED).ensureDeletable();
    assertThatThrownBy(() -> jobIn(JobStatus.RUNNING).ensureDeletable())
        .isInstanceOf(DomainException.class);
  }
}
