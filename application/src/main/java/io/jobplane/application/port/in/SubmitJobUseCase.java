package io.jobplane.application.port.in;

import io.jobplane.domain.JobSnapshot;

public interface SubmitJobUseCase {

  /** The stored job and whether this call created it (false: an idempotent replay). */
  record Submitted(JobSnapshot job, boolean created) {}

  Submitted submit(SubmitJobCommand command);
}
