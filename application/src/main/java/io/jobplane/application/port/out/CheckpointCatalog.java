package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.telemetry.Checkpoint;
import java.util.Optional;

/** Finds the checkpoints a job's workers reported, so a restart can resume from one. */
public interface CheckpointCatalog {

  Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId);
}
