package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;

/** One line a task logged. */
public record LogLine(
    Instant timestamp,
    LogLevel level,
    LogStream stream,
    String message,
    String operatorId,
    int taskIndex) {

  public LogLine {
    if (timestamp == null) {
      throw DomainException.invalid("timestamp", "must not be empty");
    }
    if (level == null) {
      throw DomainException.invalid("level", "must not be empty");
    }
    if (stream == null) {
      stream = level == LogLevel.INFO ? LogStream.STDOUT : LogStream.STDERR;
    }
    message = Telemetry.boundedText(message, "message", true);
    operatorId = Telemetry.operatorId(operatorId, "operator_id");
    Telemetry.taskIndex(taskIndex, "task_index");
  }

  /** The errors-table copy of an error-level line. */
  public JobErrorEntry asError() {
    return JobErrorEntry.builder()
        .timestamp(timestamp)
        .level(ErrorLevel.ERROR)
        .operatorId(operatorId)
        .taskIndex(taskIndex)
        .message(message)
        .build();
  }
}
