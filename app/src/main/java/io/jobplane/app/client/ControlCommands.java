package io.jobplane.app.client;

import io.jobplane.client.ApiException;
import io.jobplane.client.api.JobsApi;
import io.jobplane.client.model.Job;
import io.jobplane.client.model.RestartJobRequest;
import io.jobplane.client.model.StopJobRequest;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The lifecycle commands: each is one POST (or DELETE) and prints the job's id and new status. */
final class ControlCommands {

  private ControlCommands() {}

  /** What the lifecycle commands share: the job, the options, printing the answer. */
  abstract static class Action extends ApiCommand {
    @Parameters(paramLabel = "ID")
    UUID id;

    abstract Job apply(JobsApi jobs) throws ApiException;

    @Override
    public Integer call() throws Exception {
      Job job = apply(options.jobs());
      out().println(id + " " + (job == null ? "deleted" : job.getStatus()));
      out().flush();
      return ExitCodes.OK;
    }
  }

  @Command(name = "stop", description = "Stop a job (POST /api/v1/jobs/{id}/stop).")
  static final class Stop extends Action {
    @Option(
        names = "--mode",
        paramLabel = "MODE",
        description = "graceful (default), immediate, force or checkpoint")
    StopJobRequest.ModeEnum mode = StopJobRequest.ModeEnum.GRACEFUL;

    @Option(
        names = "--timeout-seconds",
        paramLabel = "N",
        description = "How long a graceful stop may take before it is forced")
    Integer timeoutSeconds;

    @Override
    Job apply(JobsApi jobs) throws ApiException {
      return jobs.stopJob(id, new StopJobRequest().mode(mode).timeoutSeconds(timeoutSeconds));
    }
  }

  @Command(
      name = "restart",
      description = "Start a new run of a finished job (POST /api/v1/jobs/{id}/restart).")
  static final class Restart extends Action {
    @Option(
        names = "--from-checkpoint",
        paramLabel = "CHECKPOINT_ID",
        description = "The checkpoint the new run starts from")
    String checkpointId;

    @Option(names = "--parallelism", paramLabel = "N", description = "Tasks of the new run")
    Integer parallelism;

    @Override
    Job apply(JobsApi jobs) throws ApiException {
      return jobs.restartJob(
          id, new RestartJobRequest().checkpointId(checkpointId).parallelism(parallelism));
    }
  }

  @Command(name = "suspend", description = "Hold a queued job back (POST .../suspend).")
  static final class Suspend extends Action {
    @Override
    Job apply(JobsApi jobs) throws ApiException {
      return jobs.suspendJob(id);
    }
  }

  @Command(name = "resume", description = "Queue a suspended job again (POST .../resume).")
  static final class Resume extends Action {
    @Override
    Job apply(JobsApi jobs) throws ApiException {
      return jobs.resumeJob(id);
    }
  }

  @Command(name = "delete", description = "Delete a finished job (DELETE /api/v1/jobs/{id}).")
  static final class Delete extends Action {
    @Override
    Job apply(JobsApi jobs) throws ApiException {
      jobs.deleteJob(id);
      return null;
    }
  }
}
