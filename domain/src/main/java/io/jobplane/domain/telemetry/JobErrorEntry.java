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
}
