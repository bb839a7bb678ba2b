package io.jobplane.application.service;

import io.jobplane.application.port.out.QueueBackoffs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A retried task becomes claimable when its backoff ends, which nothing signals: whenever a claim
 * for a parked claim comes back empty, the earliest backoff end of its queues is read (one indexed
 * query) and the queues are signalled at that moment, if it comes before the deadline.
 */
final class BackoffRechecks {

  /** A backoff re-check comes this much after the backoff's end, never a hair before it. */
  private static final Duration RECHECK_SLACK = Duration.ofMillis(5);

  private static final System.Logger log = System.getLogger(LongPollClaimsService.class.getName());

  private final QueueBackoffs backoffs;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final Consumer<Set<String>> signal;

  // guarded by this
  private final Map<String, Instant> rechecks = new HashMap<>();

  BackoffRechecks(
      QueueBackoffs backoffs,
      Clock clock,
      ScheduledExecutorService timer,
      Consumer<Set<String>> signal) {
    this.backoffs = backoffs;
    this.clock = clock;
    this.timer = timer;
    this.signal = signal;
  }

  /**
   * After an empty claim: signal its queues when the earliest retry backoff among them ends, if
   * that comes within {@code horizon}. One timer per queue and instant; an earlier one replaces
   * nothing, it simply fires first.
   */
  void schedule(List<String> queues, Duration horizon) {
    Instant now = clock.instant();
    Optional<Instant> next;
    try {
      next = backoffs.nextRetry(queues, now);
    } catch (RuntimeException e) {
      log.log(System.Logger.Level.DEBUG, "Cannot read retry backoffs: {0}", e.toString());
      return; // the deadline still answers; the next claim reads again
    }
    if (next.isEmpty()) {
      return;
    }
    Instant at = next.get();
    Duration delay = Duration.between(now, at).plus(RECHECK_SLACK);
    if (delay.compareTo(horizon) > 0) {
      return;
    }
    List<String> due = new ArrayList<>();
    synchronized (this) {
      for (String queue : queues) {
        Instant scheduled = rechecks.get(queue);
        if (scheduled == null || scheduled.isAfter(at) || scheduled.isBefore(now)) {
          rechecks.put(queue, at);
          due.add(queue);
        }
      }
    }
    if (due.isEmpty()) {
      return;
    }
    try {
      timer.schedule(
          () -> {
            synchronized (this) {
              due.forEach(q -> rechecks.remove(q, at));
            }
            signal.accept(Set.copyOf(due));
          },
          Math.max(0, delay.toNanos()),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }
}
