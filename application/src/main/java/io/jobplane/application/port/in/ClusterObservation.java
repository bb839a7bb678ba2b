package io.jobplane.application.port.in;

import io.jobplane.domain.JobError;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLine;
import java.util.List;
import java.util.Objects;

/**
 * What the cluster shows for one run of a Kubernetes job: the state its batch Job is in, the
 * attempt (failed pods + 1), progress, and when the run ended, why (error) and what its pods left
 * behind (a tail of their logs and one error entry per failed container), so the store keeps the
 * outcome after Kubernetes removes the pods. A run after the first may start from a checkpoint
 * ({@code fromCheckpoint}, the resource's {@code spec.fromCheckpoint}), which the store records
 * with the restart.
 */
public record ClusterObservation(
    int runId,
    JobStatus status,
    int attempt,
    Integer progress,
    JobError error,
    List<LogLine> logs,
    List<JobErrorEntry> errors,
    String fromCheckpoint) {

  public ClusterObservation {
    Objects.requireNonNull(status, "status");
    if (runId < 1) {
      throw new IllegalArgumentException("runId must be at least 1");
    }
    attempt = Math.max(1, attempt);
    logs = logs == null ? List.of() : List.copyOf(logs);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static ClusterObservation of(int runId, JobStatus status) {
    return new ClusterObservation(runId, status, 1, null, null, List.of(), List.of(), null);
  }

  /** This observation, for a run that started from {@code checkpointId} (null: from scratch). */
  public ClusterObservation startedFrom(String checkpointId) {
    return new ClusterObservation(
        runId, status, attempt, progress, error, logs, errors, checkpointId);
  }
}
