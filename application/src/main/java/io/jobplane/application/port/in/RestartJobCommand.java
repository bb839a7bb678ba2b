package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import java.util.Objects;

public record RestartJobCommand(
    Caller caller, JobId jobId, String checkpointId, Integer parallelism) {

  public RestartJobCommand {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(jobId, "jobId");
  }
}
