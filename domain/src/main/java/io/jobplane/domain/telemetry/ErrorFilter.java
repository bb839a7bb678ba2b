package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;

/** Which error entries to read, newest first, paged by offset. */
public record ErrorFilter(
    ErrorLevel level, String operatorId, Integer taskIndex, int limit, int offset) {

  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public ErrorFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw DomainException.invalid("offset", "must not be negative");
    }
    if (taskIndex != null) {
      Telemetry.taskIndex(taskIndex, "task_index");
    }
    Telemetry.operatorId(operatorId, "operator_id");
  }

  public boolean matches(JobErrorEntry e) {
    return (level == null || e.level() == level)
        && (operatorId == null || operatorId.equals(e.operatorId()))
        && (taskIndex == null || e.taskIndex() == taskIndex);
  }
}
