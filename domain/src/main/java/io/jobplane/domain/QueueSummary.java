package io.jobplane.domain;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One queue of one project as the queues overview shows it: what waits, what runs, since when, who
 * polls it, and why its jobs wait, in the terms of {@link QueueWait.Reason}.
 *
 * <p>The reasons are the queue-level form of {@link QueueWait#decide}, from counts alone (so the
 * overview never computes a position per job): with no active worker every queued job waits for
 * one; otherwise jobs whose retry backoff has not ended wait for it, one job is next, and the rest
 * wait for busy workers. Suspended jobs wait to be resumed.
 *
 * @param oldestQueuedAt when the longest-waiting QUEUED job was queued; null when none waits
 * @param waitingReasons jobs per reason; reasons with no job are left out
 */
public record QueueSummary(
    String project,
    String queue,
    long queued,
    long running,
    Instant oldestQueuedAt,
    int activeWorkers,
    Map<QueueWait.Reason, Long> waitingReasons) {

  public QueueSummary {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(queue, "queue");
    waitingReasons = Collections.unmodifiableMap(new EnumMap<>(waitingReasons));
  }

  public static QueueSummary of(QueueCounts counts) {
    QueueCounts.WaitingJobs waiting = counts.waiting();
    Map<QueueWait.Reason, Long> reasons = new EnumMap<>(QueueWait.Reason.class);
    long queued = waiting.queued();
    if (queued > 0 && counts.activeWorkers() == 0) {
      reasons.put(QueueWait.Reason.NO_WORKER, queued);
    } else if (queued > 0) {
      long backoff = Math.min(waiting.inBackoff(), queued);
      long claimable = queued - backoff;
      putIfAny(reasons, QueueWait.Reason.BACKOFF, backoff);
      putIfAny(reasons, QueueWait.Reason.NEXT, Math.min(claimable, 1));
      putIfAny(reasons, QueueWait.Reason.WORKERS_BUSY, claimable - 1);
    }
    putIfAny(reasons, QueueWait.Reason.SUSPENDED, waiting.suspended());
    return new QueueSummary(
        counts.project(),
        counts.queue(),
        queued,
        counts.running(),
        waiting.oldestQueuedAt(),
        counts.activeWorkers(),
        reasons);
  }

  private static void putIfAny(Map<QueueWait.Reason, Long> reasons, QueueWait.Reason r, long n) {
    if (n > 0) {
      reasons.put(r, n);
    }
  }
}
