package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.telemetry.Checkpoint;
import java.util.Map;
import java.util.Optional;

/** Finds the checkpoints a job's workers reported, so a restart can resume from one. */
public interface CheckpointCatalog {

  Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId);

  /**
   * The named checkpoint of each job ({@code checkpointIds}: job id to checkpoint id) in one read;
   * jobs whose checkpoint does not exist are absent.
   */
  Map<JobId, Checkpoint> checkpoints(Map<JobId, String> checkpointIds);
}
