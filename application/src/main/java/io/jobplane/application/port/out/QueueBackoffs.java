package io.jobplane.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When waiting work becomes claimable by time alone. A task that fails and is queued again waits
 * out its retry backoff, and nothing signals the moment the backoff ends, so a parked claim asks
 * this and looks again then.
 */
public interface QueueBackoffs {

  /**
   * The earliest {@code available_at} after {@code now} of a queued task, waiting out its backoff,
   * of a job that lets it be claimed, in one of {@code queues}; empty when there is none. One
   * indexed read: it must not cost more as queues grow.
   */
  Optional<Instant> nextRetry(List<String> queues, Instant now);

  /** A store without backoffs (tests, and servers that never park claims). */
  QueueBackoffs NONE = (queues, now) -> Optional.empty();
}
