package io.jobplane.domain;

import java.time.Instant;

/** Named setters for the task's fields; the record's constructor checks them on build. */
public final class TaskStateBuilder {
  private JobId jobId;
  private int runId;
  private int index;
  private TaskStatus status;
  private int attempt;
  private long epoch;
  private String leaseTokenHash;
  private String workerId;
  private String hostname;
  private int leaseSeconds;
  private Instant leaseExpiresAt;
  private Instant availableAt;
  private Instant startedAt;
  private Instant finishedAt;
  private Integer progress;
  private TaskItems items;
  private JobError error;
  private Integer exitCode;
  private Instant stopDeadline;
  private String output;
  private Boolean changed;
  private String boundWorker;

  TaskStateBuilder() {}

  public TaskStateBuilder jobId(JobId value) {
    this.jobId = value;
    return this;
  }

  public TaskStateBuilder runId(int value) {
    this.runId = value;
    return this;
  }

  public TaskStateBuilder index(int value) {
    this.index = value;
    return this;
  }

  public TaskStateBuilder status(TaskStatus value) {
    this.status = value;
    return this;
  }

  public TaskStateBuilder attempt(int value) {
    this.attempt = value;
    return this;
  }

  public TaskStateBuilder epoch(long value) {
    this.epoch = value;
    return this;
  }

  public TaskStateBuilder leaseTokenHash(String value) {
    this.leaseTokenHash = value;
    return this;
  }

  public TaskStateBuilder workerId(String value) {
    this.workerId = value;
    return this;
  }

  public TaskStateBuilder hostname(String value) {
    this.hostname = value;
    return this;
  }

  public TaskStateBuilder leaseSeconds(int value) {
    this.leaseSeconds = value;
    return this;
  }

  public TaskStateBuilder leaseExpiresAt(Instant value) {
    this.leaseExpiresAt = value;
    return this;
  }

  public TaskStateBuilder availableAt(Instant value) {
    this.availableAt = value;
    return this;
  }

  public TaskStateBuilder startedAt(Instant value) {
    this.startedAt = value;
    return this;
  }

  public TaskStateBuilder finishedAt(Instant value) {
    this.finishedAt = value;
    return this;
  }

  public TaskStateBuilder progress(Integer value) {
    this.progress = value;
    return this;
  }

  public TaskStateBuilder items(TaskItems value) {
    this.items = value;
    return this;
  }

  public TaskStateBuilder error(JobError value) {
    this.error = value;
    return this;
  }

  public TaskStateBuilder exitCode(Integer value) {
    this.exitCode = value;
    return this;
  }

  public TaskStateBuilder stopDeadline(Instant value) {
    this.stopDeadline = value;
    return this;
  }

  public TaskStateBuilder output(String value) {
    this.output = value;
    return this;
  }

  public TaskStateBuilder changed(Boolean value) {
    this.changed = value;
    return this;
  }

  public TaskStateBuilder boundWorker(String value) {
    this.boundWorker = value;
    return this;
  }

  public TaskState build() {
    return new TaskState(
        jobId,
        runId,
        index,
        status,
        attempt,
        epoch,
        leaseTokenHash,
        workerId,
        hostname,
        leaseSeconds,
        leaseExpiresAt,
        availableAt,
        startedAt,
        finishedAt,
        progress,
        items,
        error,
        exitCode,
        stopDeadline,
        output,
        changed,
        boundWorker);
  }
}
