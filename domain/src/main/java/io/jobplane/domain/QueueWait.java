package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Why a queued job (or the queued tasks of a running job) is still waiting, derived by {@link
 * #decide} from facts the store counts: the job's place in its queue, how many workers polled that
 * queue recently and when its backoff ends.
 *
 * <p>Jobplane has no concurrency or quota limits yet; reasons for them will be added with the
 * limits themselves.
 *
 * @param reason what holds the job
 * @param position 1-based place of the job's first queued task in its queue among claimable tasks
 *     (1 = nothing claimable ahead); null for a suspended job
 * @param until for {@link Reason#BACKOFF}: when the first task becomes claimable, else null
 * @param activeWorkers workers that polled the job's queue within {@link #ACTIVE_WINDOW}
 * @param message the same in words
 */
public record QueueWait(
    Reason reason, Long position, Instant until, int activeWorkers, String message) {

  /** A worker is active for a queue when it polled (claimed from) it within this window. */
  public static final Duration ACTIVE_WINDOW = Duration.ofSeconds(30);

  /** What holds a waiting job, most fundamental first. */
  public enum Reason {
    /** No worker polled the job's queue within {@link #ACTIVE_WINDOW}: nothing will claim it. */
    NO_WORKER,
    /** Every queued task of the job waits for its retry backoff to end ({@code until}). */
    BACKOFF,
    /** Workers poll the queue, but claimable tasks of other jobs are ahead of this one. */
    WORKERS_BUSY,
    /** First in line and a worker polls the queue: the next poll claims it. */
    NEXT,
    /** The job is suspended; resuming it queues it. */
    SUSPENDED
  }

  public QueueWait {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    if (position != null && position < 1) {
      throw new IllegalArgumentException("position must be at least 1: " + position);
    }
    if (activeWorkers < 0) {
      throw new IllegalArgumentException("activeWorkers must not be negative: " + activeWorkers);
    }
  }

  /**
   * Decides why a queued job waits.
   *
   * @param queue the job's queue (for the message)
   * @param position 1-based: claimable tasks of other jobs ahead of the job's first queued task,
   *     plus one
   * @param activeWorkers workers that polled the queue within {@link #ACTIVE_WINDOW}
   * @param earliestAvailableAt the earliest {@code available_at} of the job's queued tasks
   * @param now the current time
   */
  public static QueueWait decide(
      String queue, long position, int activeWorkers, Instant earliestAvailableAt, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(earliestAvailableAt, "earliestAvailableAt");
    Objects.requireNonNull(now, "now");
    long ahead = position - 1;
    if (activeWorkers == 0) {
      return new QueueWait(
          Reason.NO_WORKER,
          position,
          null,
          0,
          "no worker has polled queue '"
              + queue
              + "' in the last "
              + ACTIVE_WINDOW.toSeconds()
              + " s");
    }
    if (earliestAvailableAt.isAfter(now)) {
      return new QueueWait(
          Reason.BACKOFF,
          position,
          earliestAvailableAt,
          activeWorkers,
          "waiting for the retry backoff to end at " + earliestAvailableAt);
    }
    if (ahead == 0) {
      return new QueueWait(
          Reason.NEXT,
          position,
          null,
          activeWorkers,
          "first in line in queue '" + queue + "': the next worker poll claims it");
    }
    return new QueueWait(
        Reason.WORKERS_BUSY,
        position,
        null,
        activeWorkers,
        ahead
            + (ahead == 1 ? " task" : " tasks")
            + " of other jobs ahead in queue '"
            + queue
            + "', "
            + activeWorkers
            + (activeWorkers == 1 ? " worker" : " workers")
            + " polling it");
  }

  /** A suspended job: it is out of the queue until resumed. */
  public static QueueWait suspended(int activeWorkers) {
    return new QueueWait(
        Reason.SUSPENDED,
        null,
        null,
        activeWorkers,
        "the job is suspended: resume the job to queue it");
  }
}
