package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.StopMode;
import java.util.Objects;

public record StopJobCommand(Caller caller, JobId jobId, StopMode mode, Integer timeoutSeconds) {

  public StopJobCommand {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(jobId, "jobId");
    mode = mode == null ? StopMode.GRACEFUL : mode;
  }
}
