package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusMappingTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-23T10:01:00.123Z");

  private final JobResource resource = BatchJobsTest.resource();

  @Test
  void noBatchJobYetIsQueued() {
    JobStatus status = StatusMapping.map(resource, 1, null, null, T0);

    assertThat(status.getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(status.getRunId()).isEqualTo(1);
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status.getConditions())
        .extracting(JobCondition::getType)
        .containsExactly("Ready", "Succeeded", "Failed", "Finished");
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getStatus()).isEqualTo(JobCondition.Status.False);
              assertThat(c.getReason()).isEqualTo("Queued");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-23T10:00:00Z");
              assertThat(c.getObservedGeneration()).isEqualTo(4L);
            });
  }

  @Test
  void createdButNotActiveIsQueuedAndSuspendedIsSuspended() {
    resource.getSpec().setSuspend(false);
    Job batch = BatchJobs.build(resource, 1);
    assertThat(StatusMapping.map(resource, 1, batch, null, T0).getPhase())
        .isEqualTo(JobPhase.QUEUED);

    batch.getSpec().setSuspend(true);
    assertThat(StatusMapping.map(resource, 1, batch, null, T0).getPhase())
        .isEqualTo(JobPhase.SUSPENDED);

    batch.getSpec().setSuspend(false);
    batch.setStatus(
        new JobStatusBuilder()
            .withConditions(
                new JobConditionBuilder().withType("Suspended").withStatus("True").build())
            .build());
    assertThat(StatusMapping.map(resource, 1, batch, null, T0).getPhase())
        .isEqualTo(JobPhase.SUSPENDED);
  }

  @Test
  void activePodsAreRunningWithProgressAttemptAndStartTime() {
    Job batch = running(1, 1);

    JobStatus status = StatusMapping.map(resource, 1, batch, null, T0);

    assertThat(status.getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(status.getProgress()).isEqualTo(25.0);
    assertThat(status.getAttempt()).isEqualTo(2);
    assertThat(status.getStartTime()).isEqualTo("2026-11-23T09:59:00Z");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("Running");
  }

  @Test
  void lastTransitionTimeChangesOnlyWhenAConditionsStatusChanges() {
    JobStatus queued = StatusMapping.map(resource, 1, null, null, T0);

    JobStatus running = StatusMapping.map(resource, 1, running(0, 0), queued, T1);

    assertThat(condition(running, "Ready").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(running, "Ready").getLastTransitionTime())
        .isEqualTo("2026-11-23T10:01:00Z");
    assertThat(condition(running, "Finished").getStatus()).isEqualTo(JobCondition.Status.False);
    assertThat(condition(running, "Finished").getReason()).isEqualTo("Running");
    assertThat(condition(running, "Finished").getLastTransitionTime())
        .isEqualTo("2026-11-23T10:00:00Z");
    assertThat(condition(queued, "Ready").getStatus())
        .as("the previous status is not modified")
        .isEqualTo(JobCondition.Status.False);
  }

  @Test
  void completeIsSucceededWithFullProgress() {
    Job batch = running(0, 0);
    batch.setStatus(
        new JobStatusBuilder(batch.getStatus())
            .withActive(0)
            .withSucceeded(4)
            .withCompletionTime("2026-11-23T10:05:00Z")
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());

    JobStatus status = StatusMapping.map(resource, 1, batch, null, T1);

    assertThat(status.getPhase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(status.getProgress()).isEqualTo(100.0);
    assertThat(status.getCompletionTime()).isEqualTo("2026-11-23T10:05:00Z");
    assertThat(status.getDuration()).as("from 09:59:00").isEqualTo("6m");
    assertThat(condition(status, "Succeeded").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(status, "Finished").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(status, "Finished").getReason()).isEqualTo("Succeeded");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo(JobCondition.Status.False);
  }

  @Test
  void failedConditionIsFailedOrTimedOutByReason() {
    JobStatus failed = StatusMapping.map(resource, 1, failed("BackoffLimitExceeded"), null, T1);
    JobStatus timedOut = StatusMapping.map(resource, 1, failed("DeadlineExceeded"), null, T1);

    assertThat(failed.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(failed.getMessage()).isEqualTo("it broke");
    assertThat(failed.getCompletionTime()).isEqualTo("2026-11-23T10:07:00Z");
    assertThat(condition(failed, "Failed").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(failed, "Finished").getReason()).isEqualTo("Failed");
    assertThat(timedOut.getPhase()).isEqualTo(JobPhase.TIMED_OUT);
    assertThat(condition(timedOut, "Failed").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(timedOut, "Finished").getReason()).isEqualTo("TimedOut");
  }

  @Test
  void desiredStateStoppedIsStopped() {
    resource.getSpec().setDesiredState(DesiredState.STOPPED);

    JobStatus status = StatusMapping.map(resource, 1, running(2, 0), null, T1);

    assertThat(status.getPhase()).isEqualTo(JobPhase.STOPPED);
    assertThat(status.getCompletionTime()).isEqualTo("2026-11-23T10:01:00Z");
    assertThat(condition(status, "Finished").getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(condition(status, "Finished").getReason()).isEqualTo("Stopped");
  }

  @Test
  void aFinishedRunKeepsItsOutcomeAndANewRunStartsAfresh() {
    JobStatus failedRun = StatusMapping.map(resource, 1, failed("BackoffLimitExceeded"), null, T0);

    JobStatus batchGone = StatusMapping.map(resource, 1, null, failedRun, T1);
    resource.getSpec().setDesiredState(DesiredState.STOPPED);
    JobStatus stoppedLater = StatusMapping.map(resource, 1, null, failedRun, T1);
    resource.getSpec().setDesiredState(DesiredState.RUNNING);
    JobStatus nextRun = StatusMapping.map(resource, 2, null, failedRun, T1);

    assertThat(batchGone.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(stoppedLater.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(nextRun.getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(nextRun.getRunId()).isEqualTo(2);
    assertThat(nextRun.getCompletionTime()).isNull();
    assertThat(nextRun.getDuration()).isNull();
    assertThat(nextRun.getMessage()).isNull();
    assertThat(condition(nextRun, "Finished").getStatus()).isEqualTo(JobCondition.Status.False);
  }

  @Test
  void aRunningRunHasNoDurationYetAndAFinishedOneIsSpelledAsKubectlDoes() {
    assertThat(StatusMapping.map(resource, 1, running(1, 0), null, T1).getDuration()).isNull();
    assertThat(StatusMapping.duration("2026-11-23T10:00:00Z", "2026-11-23T10:00:45Z"))
        .isEqualTo("45s");
    assertThat(StatusMapping.duration("2026-11-23T10:00:00Z", "2026-11-23T10:04:12Z"))
        .isEqualTo("4m12s");
    assertThat(StatusMapping.duration("2026-11-23T10:00:00Z", "2026-11-24T12:03:00Z"))
        .isEqualTo("26h3m");
    assertThat(StatusMapping.duration("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z"))
        .isEqualTo("0s");
    assertThat(StatusMapping.duration("2026-11-23T10:00:05Z", "2026-11-23T10:00:00Z")).isNull();
  }

  private Job running(int active, int failed) {
    Job batch = BatchJobs.build(resource, 1);
    batch.getSpec().setSuspend(false);
    batch.setStatus(
        new JobStatusBuilder()
            .withActive(active == 0 ? 2 : active)
            .withSucceeded(1)
            .withFailed(failed)
            .withStartTime("2026-11-23T09:59:00Z")
            .build());
    return batch;
  }

  private Job failed(String reason) {
    Job batch = BatchJobs.build(resource, 1);
    batch.getSpec().setSuspend(false);
    batch.setStatus(
        new JobStatusBuilder()
            .withFailed(3)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage("it broke")
                    .withLastTransitionTime("2026-11-23T10:07:00Z")
                    .build())
            .build());
    return batch;
  }

  private static JobCondition condition(JobStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
