package io.jobplane.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * Every stored fact about a job at one version; what repositories read and write. The {@link Job}
 * aggregate is the only place that produces new snapshots, through its transitions.
 */
public record JobSnapshot(
    JobId id,
    JobDefinition definition,
    JobStatus status,
    int runId,
    int attempt,
    Integer progress,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Instant queuedAt,
    Instant startedAt,
    Instant finishedAt,
    JobError error,
    DesiredState desiredState,
    StopMode stopMode,
    Integer stopTimeoutSeconds,
    String checkpointId,
    long version) {

  public JobSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(desiredState, "desiredState");
  }

  /** Milliseconds from entering the queue to starting, or to {@code now} while still waiting. */
  public Long queueTimeMs(Instant now) {
    if (queuedAt == null) {
      return null;
    }
    Instant end = startedAt != null ? startedAt : (status.isTerminal() ? finishedAt : now);
    if (end == null || end.isBefore(queuedAt)) {
      return null;
    }
    return end.toEpochMilli() - queuedAt.toEpochMilli();
  }

  /** Milliseconds from start to finish, or to {@code now} while still running. */
  public Long elapsedTimeMs(Instant now) {
    if (startedAt == null) {
      return null;
    }
    Instant end = finishedAt != null ? finishedAt : now;
    return Math.max(0, end.toEpochMilli() - startedAt.toEpochMilli());
  }

  public JobSnapshot withVersion(long newVersion) {
    return toBuilder().version(newVersion).build();
  }

  /** A snapshot built field by field, by name; required fields are checked on {@link #build}. */
  public static JobSnapshotBuilder builder() {
    return new JobSnapshotBuilder();
  }

  /** This snapshot's fields, to change some by name and build a new one. */
  public JobSnapshotBuilder toBuilder() {
    return new JobSnapshotBuilder()
        .id(id)
        .definition(definition)
        .status(status)
        .runId(runId)
        .attempt(attempt)
        .progress(progress)
        .createdBy(createdBy)
        .createdAt(createdAt)
        .updatedAt(updatedAt)
        .queuedAt(queuedAt)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .error(error)
        .desiredState(desiredState)
        .stopMode(stopMode)
        .stopTimeoutSeconds(stopTimeoutSeconds)
        .checkpointId(checkpointId)
        .version(version);
  }
}
