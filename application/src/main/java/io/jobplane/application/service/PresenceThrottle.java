package io.jobplane.application.service;

import io.jobplane.application.port.out.WorkerPresence.Sighting;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which claims must write the worker's presence row. A worker that claims in a loop would otherwise
 * rewrite its row on every claim, one statement in every claim transaction, when readers only ask
 * whether it was seen within {@link io.jobplane.domain.QueueWait#ACTIVE_WINDOW}: a row is rewritten
 * once per {@link #INTERVAL}, or at once when the worker's host, queues, labels, types or token
 * scope change.
 */
final class PresenceThrottle {

  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** Bounds the memory a stream of made-up worker ids can take; forgetting only costs a write. */
  private static final int MAX_WORKERS = 10_000;

  private final Map<String, Sighting> written = new ConcurrentHashMap<>();

  /** True when this presence must be written; it is then remembered as written. */
  boolean due(Sighting p) {
    Sighting last = written.get(p.workerId());
    if (last != null
        && Objects.equals(last.hostname(), p.hostname())
        && last.queues().equals(p.queues())
        && last.identity().equals(p.identity())
        && p.seenAt().isBefore(last.seenAt().plus(INTERVAL))) {
      return false;
    }
    if (written.size() >= MAX_WORKERS) {
      written.clear();
    }
    written.put(p.workerId(), p);
    return true;
  }
}
