package io.jobplane.app.client;

import io.jobplane.client.model.Job;
import java.util.Set;

/** What a job's status means to the client: finished or not, and with which exit code. */
final class JobOutcome {

  private static final Set<Job.StatusEnum> TERMINAL =
      Set.of(
          Job.StatusEnum.SUCCEEDED,
          Job.StatusEnum.FAILED,
          Job.StatusEnum.STOPPED,
          Job.StatusEnum.TIMED_OUT,
          Job.StatusEnum.PARTIALLY_FAILED,
          Job.StatusEnum.REJECTED,
          Job.StatusEnum.SKIPPED);

  private JobOutcome() {}

  static boolean isFinished(Job job) {
    return job.getStatus() != null && TERMINAL.contains(job.getStatus());
  }

  /** The exit code of a finished job: 0 when it succeeded (docs/cli.md). */
  static int exitCode(Job.StatusEnum status) {
    return switch (status) {
      case SUCCEEDED -> ExitCodes.OK;
      case TIMED_OUT -> ExitCodes.JOB_TIMED_OUT;
      case STOPPED -> ExitCodes.JOB_STOPPED;
      case FAILED, PARTIALLY_FAILED, REJECTED, SKIPPED -> ExitCodes.JOB_FAILED;
      default -> throw new IllegalArgumentException(status + " is not finished");
    };
  }
}
