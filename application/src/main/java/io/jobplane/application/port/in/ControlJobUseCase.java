package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;

/** Lifecycle operations a user asks for. Each returns the job as stored afterwards. */
public interface ControlJobUseCase {

  JobSnapshot stop(StopJobCommand command);

  JobSnapshot restart(RestartJobCommand command);

  JobSnapshot suspend(Caller caller, JobId id);

  JobSnapshot resume(Caller caller, JobId id);

  /** Deletes a finished job and its timeline. */
  void delete(Caller caller, JobId id);
}
