package io.jobplane.domain;

import java.time.Instant;

/** Named setters for the eighteen fields, so no transition spells them out by position. */
public final class JobSnapshotBuilder {
  private JobId id;
  private JobDefinition definition;
  private JobStatus status;
  private int runId = 1;
  private int attempt = 1;
  private Integer progress;
  private String createdBy;
  private Instant createdAt;
  private Instant updatedAt;
  private Instant queuedAt;
  private Instant startedAt;
  private Instant finishedAt;
  private JobError error;
  private DesiredState desiredState = DesiredState.RUNNING;
  private StopMode stopMode;
  private Integer stopTimeoutSeconds;
  private String checkpointId;
  private long version;

  JobSnapshotBuilder() {}

  public JobSnapshotBuilder id(JobId value) {
    this.id = value;
    return this;
  }

  public JobSnapshotBuilder definition(JobDefinition value) {
    this.definition = value;
    return this;
  }

  public JobSnapshotBuilder status(JobStatus value) {
    this.status = value;
    return this;
  }

  public JobSnapshotBuilder runId(int value) {
    this.runId = value;
    return this;
  }

  public JobSnapshotBuilder attempt(int value) {
    this.attempt = value;
    return this;
  }

  public JobSnapshotBuilder progress(Integer value) {
    this.progress = value;
    return this;
  }

  public JobSnapshotBuilder createdBy(String value) {
    this.createdBy = value;
    return this;
  }

  public JobSnapshotBuilder createdAt(Instant value) {
    this.createdAt = value;
    return this;
  }

  public JobSnapshotBuilder updatedAt(Instant value) {
    this.updatedAt = value;
    return this;
  }

  public JobSnapshotBuilder queuedAt(Instant value) {
    this.queuedAt = value;
    return this;
  }

  public JobSnapshotBuilder startedAt(Instant value) {
    this.startedAt = value;
    return this;
  }

  public JobSnapshotBuilder finishedAt(Instant value) {
    this.finishedAt = value;
    return this;
  }

  public JobSnapshotBuilder error(JobError value) {
    this.error = value;
    return this;
  }

  public JobSnapshotBuilder desiredState(DesiredState value) {
    this.desiredState = value;
    return this;
  }

  public JobSnapshotBuilder stopMode(StopMode value) {
    this.stopMode = value;
    return this;
  }

  public JobSnapshotBuilder stopTimeoutSeconds(Integer value) {
    this.stopTimeoutSeconds = value;
    return this;
  }

  public JobSnapshotBuilder checkpointId(String value) {
    this.checkpointId = value;
    return this;
  }

  public JobSnapshotBuilder version(long value) {
    this.version = value;
    return this;
  }

  public JobSnapshot build() {
    return new JobSnapshot(
        id,
        definition,
        status,
        runId,
        attempt,
        progress,
        createdBy,
        createdAt,
        updatedAt,
        queuedAt,
        startedAt,
        finishedAt,
        error,
        desiredState,
        stopMode,
        stopTimeoutSeconds,
        checkpointId,
        version);
  }
}
