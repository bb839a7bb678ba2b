package io.jobplane.app.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.client.model.Job;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class WaitConditionsTest {

  private static Job job(Job.StatusEnum status) {
    return new Job().status(status);
  }

  @Test
  void succeededHoldsOnlyForASucceededJob() {
    Predicate<Job> succeeded = WaitCommand.parseCondition("succeeded");
    assertThat(succeeded).accepts(job(Job.StatusEnum.SUCCEEDED));
    assertThat(succeeded).rejects(job(Job.StatusEnum.FAILED), job(Job.StatusEnum.RUNNING));
  }

  @Test
  void finishedHoldsForEveryEndAndNotWhileRunning() {
    Predicate<Job> finished = WaitCommand.parseCondition("finished");
    assertThat(finished)
        .accepts(
            job(Job.StatusEnum.SUCCEEDED),
            job(Job.StatusEnum.FAILED),
            job(Job.StatusEnum.TIMED_OUT),
            job(Job.StatusEnum.STOPPED));
    assertThat(finished).rejects(job(Job.StatusEnum.QUEUED), job(Job.StatusEnum.STOPPING));
  }

  @Test
  void statusConditionsAreCaseInsensitiveAndUnknownStatusesAreAUsageError() {
    assertThat(WaitCommand.parseCondition("status=running")).accepts(job(Job.StatusEnum.RUNNING));
    assertThatThrownBy(() -> WaitCommand.parseCondition("status=done"))
        .isInstanceOfSatisfying(
            CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE))
        .hasMessageContaining("unknown status 'done'");
    assertThatThrownBy(() -> WaitCommand.parseCondition("ready"))
        .isInstanceOfSatisfying(
            CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE));
  }

  @Test
  void timeoutsReadLikeKubectlsAndBadOnesAreAUsageError() {
    assertThat(WaitCommand.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(WaitCommand.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(WaitCommand.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(WaitCommand.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(WaitCommand.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(() -> WaitCommand.parseDuration("soon"))
        .isInstanceOfSatisfying(
            CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCodes.USAGE));
  }

  @Test
  void eachWayAJobEndsHasItsOwnExitCode() {
    assertThat(JobOutcome.exitCode(Job.StatusEnum.SUCCEEDED)).isEqualTo(ExitCodes.OK);
    assertThat(JobOutcome.exitCode(Job.StatusEnum.FAILED)).isEqualTo(ExitCodes.JOB_FAILED);
    assertThat(JobOutcome.exitCode(Job.StatusEnum.PARTIALLY_FAILED))
        .isEqualTo(ExitCodes.JOB_FAILED);
    assertThat(JobOutcome.exitCode(Job.StatusEnum.TIMED_OUT)).isEqualTo(ExitCodes.JOB_TIMED_OUT);
    assertThat(JobOutcome.exitCode(Job.StatusEnum.STOPPED)).isEqualTo(ExitCodes.JOB_STOPPED);
  }
}
