package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One task of one run of a job, and its lease. A task is leased by one worker at a time; every
 * lease increments {@code epoch} (the fencing order) and records the hash of a fresh lease token
 * (the proof of holding, handed only to the worker that claimed it). Every worker report must
 * present both ({@link LeaseProof}) for a RUNNING task whose lease has not expired, or it is
 * refused as a stale lease (STALE_LEASE) whose message names neither the epoch nor the token.
 * Transitions return a new state; the caller (usually {@link JobRun}) stores it.
 *
 * <p>{@code attempt} counts the tries of this task within the run, from 1; a retryable failure or
 * an expired lease queues the next attempt with exponential backoff while attempts remain.
 */
public record TaskState(
    JobId jobId,
    int runId,
    int index,
    TaskStatus status,
    int attempt,
    long epoch,
    String leaseTokenHash,
    String workerId,
    String hostname,
    int leaseSeconds,
    Instant leaseExpiresAt,
    Instant availableAt,
    Instant startedAt,
    Instant finishedAt,
    Integer progress,
    TaskItems items,
    JobError error,
    Integer exitCode,
    Instant stopDeadline,
    String output,
    Boolean changed) {

  public static final int MIN_LEASE_SECONDS = 5;
  public static final int MAX_LEASE_SECONDS = 600;
  public static final Duration BACKOFF_BASE = Duration.ofSeconds(2);
  public static final Duration BACKOFF_CAP = Duration.ofMinutes(5);
  public static final double JITTER = 0.2;

  public TaskState {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(availableAt, "availableAt");
    if (index < 0) {
      throw DomainException.invalid("task_index", "must not be negative");
    }
  }

  /** A new task of a run, waiting to be leased. {@code epoch} continues from earlier runs. */
  public static TaskState queued(JobId jobId, int runId, int index, long epoch, Instant now) {
    return new TaskState(
        jobId,
        runId,
        index,
        TaskStatus.QUEUED,
        1,
        epoch,
        null,
        null,
        null,
        0,
        null,
        now,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** Delay before attempt {@code attempt + 1}: 2 s doubling per attempt, capped at 5 min, ±20 %. */
  public static Duration backoff(int failedAttempt, double random) {
    if (random < 0 || random > 1) {
      throw new IllegalArgumentException("random must be in [0, 1]");
    }
    int doublings = Math.max(0, Math.min(failedAttempt - 1, 20));
    long base = Math.min(BACKOFF_BASE.toMillis() << doublings, BACKOFF_CAP.toMillis());
    double factor = 1 - JITTER + 2 * JITTER * random;
    return Duration.ofMillis(Math.round(base * factor));
  }

  public boolean isOpen() {
    return !status.isTerminal();
  }

  public boolean stopRequested() {
    return stopDeadline != null;
  }

  // ----- transitions ---------------------------------------------------------------------------

  /**
   * A worker takes the task: RUNNING under a new epoch until {@code now + leaseSeconds}, held by
   * whoever has the token that hashes to {@code tokenHash}.
   */
  public TaskState lease(String worker, String host, int seconds, String tokenHash, Instant now) {
    if (status != TaskStatus.QUEUED) {
      throw DomainException.conflict(
          describe() + " is " + status + "; only a queued task is leased");
    }
    if (availableAt.isAfter(now)) {
      throw DomainException.conflict(describe() + " is backing off until " + availableAt);
    }
    requireLeaseSeconds(seconds);
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(tokenHash, "tokenHash");
    return new TaskState(
        jobId,
        runId,
        index,
        TaskStatus.RUNNING,
        attempt,
        epoch + 1,
        tokenHash,
        worker,
        host,
        seconds,
        now.plusSeconds(seconds),
        availableAt,
        now,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Refuses a report that does not come from the current, live lease. The proof is checked first
   * and refused without detail: whoever does not hold the lease learns nothing of it (not its
   * epoch, its state or its expiry); only the holder is told why its lease is over.
   */
  public void requireCurrent(LeaseProof proof, Instant now) {
    Objects.requireNonNull(proof, "proof");
    if (!proof.holds(epoch, leaseTokenHash)) {
      throw stale("it does not hold the task's current lease (epoch and lease token)");
    }
    if (status != TaskStatus.RUNNING) {
      throw stale("the task is " + status + " (its lease is over)");
    }
    if (!leaseExpiresAt.isAfter(now)) {
      throw stale("the lease expired at " + leaseExpiresAt);
    }
  }

  /** The worker is alive: extends the lease and records progress and item counts. */
  public TaskState heartbeat(
      LeaseProof proof, Integer newProgress, TaskItems newItems, Instant now) {
    requireCurrent(proof, now);
    if (newProgress != null && (newProgress < 0 || newProgress > 100)) {
      throw DomainException.invalid("progress", "must be between 0 and 100");
    }
    return new TaskState(
        jobId,
        runId,
        index,
        status,
        attempt,
        epoch,
        leaseTokenHash,
        workerId,
        hostname,
        leaseSeconds,
        now.plusSeconds(leaseSeconds),
        availableAt,
        startedAt,
        finishedAt,
        newProgress == null ? progress : newProgress,
        newItems == null ? items : newItems,
        error,
        exitCode,
        stopDeadline,
        output,
        changed);
  }

  public TaskState complete(LeaseProof proof, String outputJson, Boolean hasChanged, Instant now) {
    requireCurrent(proof, now);
    return finished(TaskStatus.SUCCEEDED, 100, null, null, outputJson, hasChanged, now);
  }

  /**
   * The worker reports a failure. Retryable and attempts left: queued again after a backoff ({@code
   * random} in [0, 1] picks the jitter); otherwise FAILED.
   */
  public TaskState fail(
      LeaseProof proof,
      JobError failure,
      Integer code,
      boolean retryable,
      int maxAttempts,
      double random,
      Instant now) {
    requireCurrent(proof, now);
    Objects.requireNonNull(failure, "failure");
    return retryable && attempt < maxAttempts
        ? requeue(failure, code, random, now)
        : finished(TaskStatus.FAILED, progress, failure, code, null, null, now);
  }

  /** The lease ran out without a heartbeat: like a retryable failure, decided by the sweeper. */
  public TaskState expire(int maxAttempts, double random, Instant now) {
    if (status != TaskStatus.RUNNING || leaseExpiresAt.isAfter(now)) {
      throw DomainException.conflict(describe() + " has no expired lease");
    }
    JobError lost =
        new JobError(
            "LEASE_EXPIRED",
            "worker " + workerId + " stopped heartbeating; lease expired at " + leaseExpiresAt);
    return attempt < maxAttempts
        ? requeue(lost, null, random, now)
        : finished(TaskStatus.FAILED, progress, lost, null, null, null, now);
  }

  /**
   * A stop request reaches the task: a queued task stops at once, a running one gets a deadline.
   */
  public TaskState requestStop(Instant deadline, Instant now) {
    return switch (status) {
      case QUEUED -> finished(TaskStatus.STOPPED, progress, null, null, null, null, now);
      case RUNNING ->
          stopDeadline != null && !deadline.isBefore(stopDeadline)
              ? this
              : new TaskState(
                  jobId,
                  runId,
                  index,
                  status,
                  attempt,
                  epoch,
                  leaseTokenHash,
                  workerId,
                  hostname,
                  leaseSeconds,
                  leaseExpiresAt,
                  availableAt,
                  startedAt,
                  finishedAt,
                  progress,
                  items,
                  error,
                  exitCode,
                  deadline,
                  output,
                  changed);
      default -> this;
    };
  }

  /** The worker acknowledges a stop request. */
  public TaskState stopped(LeaseProof proof, Instant now) {
    requireCurrent(proof, now);
    if (stopDeadline == null) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          describe() + " was not asked to stop; report complete or fail instead");
    }
    return finished(TaskStatus.STOPPED, progress, null, null, null, null, now);
  }

  /** Stops the task without waiting for its worker (force, or an overdue graceful stop). */
  public TaskState forceStop(Instant now) {
    return isOpen() ? finished(TaskStatus.STOPPED, progress, null, null, null, null, now) : this;
  }

  /** The job ran out of time: the lease is revoked. */
  public TaskState timeOut(JobError reason, Instant now) {
    return isOpen()
        ? finished(TaskStatus.TIMED_OUT, progress, reason, null, null, null, now)
        : this;
  }

  // ----- helpers -------------------------------------------------------------------------------

  private TaskState requeue(JobError failure, Integer code, double random, Instant now) {
    return new TaskState(
        jobId,
        runId,
        index,
        TaskStatus.QUEUED,
        attempt + 1,
        epoch,
        null,
        null,
        null,
        0,
        null,
        now.plus(backoff(attempt, random)),
        null,
        null,
        null,
        null,
        failure,
        code,
        null,
        null,
        null);
  }

  private TaskState finished(
      TaskStatus to,
      Integer newProgress,
      JobError failure,
      Integer code,
      String outputJson,
      Boolean hasChanged,
      Instant now) {
    return new TaskState(
        jobId,
        runId,
        index,
        to,
        attempt,
        epoch,
        leaseTokenHash,
        workerId,
        hostname,
        leaseSeconds,
        null,
        availableAt,
        startedAt,
        now,
        newProgress,
        items,
        failure,
        code,
        null,
        outputJson,
        hasChanged);
  }

  /** Milliseconds from start to finish (or to {@code now} while running); null before a start. */
  public Long durationMs(Instant now) {
    if (startedAt == null) {
      return null;
    }
    Instant end = finishedAt != null ? finishedAt : (status == TaskStatus.RUNNING ? now : null);
    return end == null ? null : Math.max(0, end.toEpochMilli() - startedAt.toEpochMilli());
  }

  static void requireLeaseSeconds(int seconds) {
    if (seconds < MIN_LEASE_SECONDS || seconds > MAX_LEASE_SECONDS) {
      throw DomainException.invalid(
          "lease_seconds", "must be between " + MIN_LEASE_SECONDS + " and " + MAX_LEASE_SECONDS);
    }
  }

  private String describe() {
    return "task " + index + " of job " + jobId + " (run " + runId + ")";
  }

  private DomainException stale(String why) {
    return DomainException.staleLease(
        "stale lease: " + describe() + " refuses the report: " + why + "; abandon the task");
  }
}
