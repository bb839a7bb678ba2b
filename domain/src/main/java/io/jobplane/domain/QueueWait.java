package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why a queued job (or the queued tasks of a running job) is still waiting, derived by {@link
 * #decide} from facts the store counts: the job's place in its queue, how many workers polled that
 * queue recently and when its backoff ends.
 *
 * <p>The position is counted only up to {@link #POSITION_CAP}, so reading it costs the same at the
 * tail of a queue of a million as near its head (an index range scan with a limit, as GitLab caps
 * its counts). Positions up to the cap are exact; past it the position is the cap and {@code
 * positionIsLowerBound} says the job is further back.
 *
 * <p>A queued job of a project (or queue) already running its {@code max_running} jobs ({@link
 * ProjectLimits}) waits with {@link Reason#CONCURRENCY_LIMIT}, the limit and its usage in {@code
 * limit}.
 *
 * @param reason what holds the job
 * @param position 1-based place of the job's first queued task in its queue among claimable tasks
 *     (1 = nothing claimable ahead), at most {@link #POSITION_CAP}; null for a suspended job
 * @param positionIsLowerBound the count stopped at the cap: the job's real position is greater than
 *     {@code position}; false whenever {@code position} is exact (or null)
 * @param until for {@link Reason#BACKOFF}: when the first task becomes claimable, else null
 * @param activeWorkers workers that polled the job's queue within {@link #ACTIVE_WINDOW}
 * @param message the same in words
 * @param waitingFor for {@link Reason#DEPENDENCIES}: the jobs it depends on that have not ended
 *     yet, else empty
 * @param limit for {@link Reason#CONCURRENCY_LIMIT}: the running limit that holds the job and how
 *     much of it is used, else null
 */
public record QueueWait(
    Reason reason,
    Long position,
    boolean positionIsLowerBound,
    Instant until,
    int activeWorkers,
    String message,
    List<JobId> waitingFor,
    ProjectLimits.Use limit) {

  /** A worker is active for a queue when it polled (claimed from) it within this window. */
  public static final Duration ACTIVE_WINDOW = Duration.ofSeconds(30);

  /**
   * The largest exact position: the store counts at most this many claimable tasks ahead of a job,
   * and a job with that many ahead is reported at this position as a lower bound.
   */
  public static final long POSITION_CAP = 1_000;

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
    SUSPENDED,
    /** The job is PENDING until the jobs it depends on ({@code waitingFor}) have ended. */
    DEPENDENCIES,
    /**
     * Workers poll the queue, but none of those polling within {@link #ACTIVE_WINDOW} has labels
     * that match the job's worker_selector (named in the message): nothing will claim it.
     */
    NO_MATCHING_WORKER,
    /**
     * Its project (or its project's share of the queue) runs as many jobs as its {@code
     * max_running} allows ({@code limit}); the job starts when one of them ends.
     */
    CONCURRENCY_LIMIT
  }

  public QueueWait {
    Objects.requireNonNull(reason, "reason");
    waitingFor = waitingFor == null ? List.of() : List.copyOf(waitingFor);
    Objects.requireNonNull(message, "message");
    if (position != null && (position < 1 || position > POSITION_CAP)) {
      throw new IllegalArgumentException(
          "position must be between 1 and " + POSITION_CAP + ": " + position);
    }
    if (positionIsLowerBound && (position == null || position != POSITION_CAP)) {
      throw new IllegalArgumentException(
          "only a position at the cap (" + POSITION_CAP + ") is a lower bound: " + position);
    }
    if (activeWorkers < 0) {
      throw new IllegalArgumentException("activeWorkers must not be negative: " + activeWorkers);
    }
    if ((reason == Reason.CONCURRENCY_LIMIT) != (limit != null)) {
      throw new IllegalArgumentException("a limit comes with CONCURRENCY_LIMIT, and only with it");
    }
  }

  /**
   * Decides why a queued job waits.
   *
   * @param queue the job's queue (for the message)
   * @param tasksAhead claimable tasks of other jobs ahead of the job's first queued task, counted
   *     up to {@link #POSITION_CAP}: a count of {@code POSITION_CAP} (or more) means at least that
   *     many
   * @param activeWorkers workers that polled the queue within {@link #ACTIVE_WINDOW}
   * @param earliestAvailableAt the earliest {@code available_at} of the job's queued tasks
   * @param now the current time
   */
  public static QueueWait decide(
      String queue, long tasksAhead, int activeWorkers, Instant earliestAvailableAt, Instant now) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(earliestAvailableAt, "earliestAvailableAt");
    Objects.requireNonNull(now, "now");
    if (tasksAhead < 0) {
      throw new IllegalArgumentException("tasksAhead must not be negative: " + tasksAhead);
    }
    boolean capped = tasksAhead >= POSITION_CAP;
    long position = capped ? POSITION_CAP : tasksAhead + 1;
    if (activeWorkers == 0) {
      return new QueueWait(
          Reason.NO_WORKER,
          position,
          capped,
          null,
          0,
          "no worker has polled queue '"
              + queue
              + "' in the last "
              + ACTIVE_WINDOW.toSeconds()
              + " s",
          List.of(),
          null);
    }
    if (earliestAvailableAt.isAfter(now)) {
      return new QueueWait(
          Reason.BACKOFF,
          position,
          capped,
          earliestAvailableAt,
          activeWorkers,
          "waiting for the retry backoff to end at " + earliestAvailableAt,
          List.of(),
          null);
    }
    if (tasksAhead == 0) {
      return new QueueWait(
          Reason.NEXT,
          position,
          false,
          null,
          activeWorkers,
          "first in line in queue '" + queue + "': the next worker poll claims it",
          List.of(),
          null);
    }
    return new QueueWait(
        Reason.WORKERS_BUSY,
        position,
        capped,
        null,
        activeWorkers,
        (capped ? "at least " + POSITION_CAP : Long.toString(tasksAhead))
            + (tasksAhead == 1 ? " task" : " tasks")
            + " of other jobs ahead in queue '"
            + queue
            + "', "
            + activeWorkers
            + (activeWorkers == 1 ? " worker" : " workers")
            + " polling it",
        List.of(),
        null);
  }

  /**
   * {@code decided} (from {@link #decide}) of a job whose tasks only workers matching {@code
   * selector} may claim, {@code matchingWorkers} of the active ones doing so: with active workers
   * but none matching, the reason is {@link Reason#NO_MATCHING_WORKER}, whatever else holds it.
   */
  public static QueueWait forSelector(QueueWait decided, String selector, int matchingWorkers) {
    Objects.requireNonNull(selector, "selector");
    if (decided.reason() == Reason.NO_WORKER || matchingWorkers > 0) {
      return decided;
    }
    return new QueueWait(
        Reason.NO_MATCHING_WORKER,
        decided.position(),
        decided.positionIsLowerBound(),
        null,
        decided.activeWorkers(),
        "no worker polling the queue in the last "
            + ACTIVE_WINDOW.toSeconds()
            + " s has labels matching the job's worker_selector '"
            + selector
            + "' ("
            + decided.activeWorkers()
            + (decided.activeWorkers() == 1 ? " worker polls it" : " workers poll it")
            + ")",
        List.of(),
        null);
  }

  /** A suspended job: it is out of the queue until resumed. */
  public static QueueWait suspended(int activeWorkers) {
    return new QueueWait(
        Reason.SUSPENDED,
        null,
        false,
        null,
        activeWorkers,
        "the job is suspended: resume the job to queue it",
        List.of(),
        null);
  }

  /** A job waiting in PENDING for the jobs it depends on; {@code waitingFor} have not ended yet. */
  public static QueueWait dependencies(List<JobId> waitingFor, int activeWorkers) {
    return new QueueWait(
        Reason.DEPENDENCIES,
        null,
        false,
        null,
        activeWorkers,
        "waiting for "
            + (waitingFor.size() == 1
                ? "job " + waitingFor.get(0)
                : waitingFor.size() + " jobs it depends on")
            + " to end",
        waitingFor,
        null);
  }

  /**
   * A queued job held back by a running limit of its project or queue ({@code limit}, full); its
   * position is where it stands among the claimable tasks of its queue.
   */
  public static QueueWait concurrencyLimit(
      String project, ProjectLimits.Use limit, long tasksAhead, int activeWorkers) {
    boolean capped = tasksAhead >= POSITION_CAP;
    return new QueueWait(
        Reason.CONCURRENCY_LIMIT,
        capped ? POSITION_CAP : tasksAhead + 1,
        capped,
        null,
        activeWorkers,
        limit.where(project)
            + " runs "
            + limit.usage()
            + (limit.usage() == 1 ? " job" : " jobs")
            + ", its max_running is "
            + limit.limit()
            + ": the job starts when one of them ends",
        List.of(),
        limit);
  }
}
