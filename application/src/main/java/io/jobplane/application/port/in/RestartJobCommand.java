package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Text;
import java.util.Objects;

public record RestartJobCommand(
    Caller caller, JobId jobId, String checkpointId, Integer parallelism) {

  public RestartJobCommand {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(jobId, "jobId");
    if (checkpointId != null) {
      // before any lookup by it: the checkpoint catalog must never see control characters
      Text.displayText(checkpointId, "checkpoint_id", 200);
    }
  }
}
