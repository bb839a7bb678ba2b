package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;

/**
 * Which log lines to read, oldest first: every non-null criterion must match; {@code afterId} is
 * the keyset cursor (the id of the last line already read).
 */
public record LogFilter(
    LogLevel level,
    Integer taskIndex,
    String operatorId,
    Instant since,
    Instant until,
    int limit,
    long afterId) {

  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public LogFilter {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (taskIndex != null) {
      Telemetry.taskIndex(taskIndex, "task_index");
    }
    Telemetry.operatorId(operatorId, "operator_id");
    if (since != null && until != null && !since.isBefore(until)) {
      throw DomainException.invalid("until", "must be after since");
    }
    if (afterId < 0) {
      throw DomainException.invalid("cursor", "is not a cursor of this list");
    }
  }

  public boolean matches(Stored<LogLine> stored) {
    LogLine l = stored.value();
    return stored.id() > afterId
        && (level == null || l.level() == level)
        && (taskIndex == null || l.taskIndex() == taskIndex)
        && (operatorId == null || operatorId.equals(l.operatorId()))
        && (since == null || !l.timestamp().isBefore(since))
        && (until == null || l.timestamp().isBefore(until));
  }

  /** The same criteria, resuming after {@code id}. */
  public LogFilter after(long id) {
    return new LogFilter(level, taskIndex, operatorId, since, until, limit, id);
  }

  /** The same criteria, at most {@code lines} per read. */
  public LogFilter withLimit(int lines) {
    return new LogFilter(level, taskIndex, operatorId, since, until, lines, afterId);
  }
}
