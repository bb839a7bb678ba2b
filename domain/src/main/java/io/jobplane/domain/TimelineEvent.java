package io.jobplane.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a job's timeline. {@code from} is null for the first event of a job; events of
 * earlier runs keep their {@code runId}, so a restarted job still shows its whole history.
 */
public record TimelineEvent(
    Instant timestamp,
    EventType type,
    JobStatus from,
    JobStatus to,
    String source,
    String message,
    JobError error,
    int runId,
    int attempt) {

  public TimelineEvent {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(source, "source");
  }
}
