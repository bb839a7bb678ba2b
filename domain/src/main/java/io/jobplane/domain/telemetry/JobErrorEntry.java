package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;

/** An error or warning a task reported, optionally with the offending record. */
public record JobErrorEntry(
    Instant timestamp,
    ErrorLevel level,
    String operatorId,
    int taskIndex,
    String message,
    String details,
    String record) {

  public JobErrorEntry {
    if (timestamp == null) {
      throw DomainException.invalid("timestamp", "must not be empty");
    }
    if (level == null) {
      throw DomainException.invalid("level", "must not be empty");
    }
    operatorId = Telemetry.operatorId(operatorId, "operator_id");
    Telemetry.taskIndex(taskIndex, "task_index");
    message = Telemetry.boundedText(message, "message", true);
    details = Telemetry.boundedText(details, "details", false);
    record = Telemetry.boundedText(record, "record", false);
  }

  /** An entry built by name; details and the offending record are optional. */
  public static Builder builder() {
    return new Builder();
  }

  /** Named setters for an entry; validated on {@link #build} as every entry is. */
  public static final class Builder {
    private Instant timestamp;
    private ErrorLevel level;
    private String operatorId;
    private int taskIndex;
    private String message;
    private String details;
    private String record;

    private Builder() {}

    public Builder timestamp(Instant value) {
      this.timestamp = value;
      return this;
    }

    public Builder level(ErrorLevel value) {
      this.level = value;
      return this;
    }

    public Builder operatorId(String value) {
      this.operatorId = value;
      return this;
    }

    public Builder taskIndex(int value) {
      this.taskIndex = value;
      return this;
    }

    public Builder message(String value) {
      this.message = value;
      return this;
    }

    public Builder details(String value) {
      this.details = value;
      return this;
    }

    public Builder record(String value) {
      this.record = value;
      return this;
    }

    public JobErrorEntry build() {
      return new JobErrorEntry(timestamp, level, operatorId, taskIndex, message, details, record);
    }
  }
}
