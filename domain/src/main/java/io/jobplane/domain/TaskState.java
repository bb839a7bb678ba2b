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
 *
 * <p>{@code boundWorker} is set on the tasks of a broadcast job: only the worker of that name may
 * lease the task, and the task fails (AGENT_LOST) when that worker goes away before it ends.
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
    Boolean changed,
    String boundWorker) {

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
    return builder()
        .jobId(jobId)
        .runId(runId)
        .index(index)
        .status(TaskStatus.QUEUED)
        .attempt(1)
        .epoch(epoch)
        .availableAt(now)
        .build();
  }

  /** A new task of a broadcast run, bound to the worker named {@code worker}. */
  public static TaskState boundTo(
      String worker, JobId jobId, int runId, int index, long epoch, Instant now) {
    return queued(jobId, runId, index, epoch, now).toBuilder()
        .boundWorker(Objects.requireNonNull(worker, "worker"))
        .build();
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
    if (boundWorker != null && !boundWorker.equals(worker)) {
      throw DomainException.conflict(describe() + " is bound to another worker");
    }
    Objects.requireNonNull(tokenHash, "tokenHash");
    return queued(jobId, runId, index, epoch + 1, availableAt).toBuilder()
        .boundWorker(boundWorker)
        .status(TaskStatus.RUNNING)
        .attempt(attempt)
        .leaseTokenHash(tokenHash)
        .workerId(worker)
        .hostname(host)
        .leaseSeconds(seconds)
        .leaseExpiresAt(now.plusSeconds(seconds))
        .startedAt(now)
        .build();
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
    return toBuilder()
        .leaseExpiresAt(now.plusSeconds(leaseSeconds))
        .progress(newProgress == null ? progress : newProgress)
        .items(newItems == null ? items : newItems)
        .build();
  }

  public TaskState complete(LeaseProof proof, String outputJson, Boolean hasChanged, Instant now) {
    requireCurrent(proof, now);
    return finishing(TaskStatus.SUCCEEDED, now)
        .progress(100)
        .output(outputJson)
        .changed(hasChanged)
        .build();
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
        : finishing(TaskStatus.FAILED, now).error(failure).exitCode(code).build();
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
        : finishing(TaskStatus.FAILED, now).error(lost).build();
  }

  /**
   * A stop request reaches the task: a queued task stops at once, a running one gets a deadline.
   */
  public TaskState requestStop(Instant deadline, Instant now) {
    return switch (status) {
      case QUEUED -> finishing(TaskStatus.STOPPED, now).build();
      case RUNNING ->
          stopDeadline != null && !deadline.isBefore(stopDeadline)
              ? this
              : toBuilder().stopDeadline(deadline).build();
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
    return finishing(TaskStatus.STOPPED, now).build();
  }

  /** Stops the task without waiting for its worker (force, or an overdue graceful stop). */
  public TaskState forceStop(Instant now) {
    return isOpen() ? finishing(TaskStatus.STOPPED, now).build() : this;
  }

  /** The reason a bound task fails when its worker went away before leasing it. */
  public static final String AGENT_LOST = "AGENT_LOST";

  /**
   * The worker this queued task is bound to went away before leasing it: FAILED (not retried, since
   * no other worker may run it) with reason {@value #AGENT_LOST}.
   */
  public TaskState agentLost(Duration notSeenFor, Instant now) {
    if (status != TaskStatus.QUEUED || boundWorker == null) {
      throw DomainException.conflict(describe() + " is not a queued task bound to a worker");
    }
    return finishing(TaskStatus.FAILED, now)
        .error(
            new JobError(
                AGENT_LOST,
                "worker "
                    + boundWorker
                    + " went away before it claimed its task (not seen for "
                    + notSeenFor.toSeconds()
                    + " s)"))
        .build();
  }

  /** The job ran out of time: the lease is revoked. */
  public TaskState timeOut(JobError reason, Instant now) {
    return isOpen() ? finishing(TaskStatus.TIMED_OUT, now).error(reason).build() : this;
  }

  // ----- helpers -------------------------------------------------------------------------------

  private TaskState requeue(JobError failure, Integer code, double random, Instant now) {
    return queued(jobId, runId, index, epoch, now.plus(backoff(attempt, random))).toBuilder()
        .boundWorker(boundWorker)
        .attempt(attempt + 1)
        .error(failure)
        .exitCode(code)
        .build();
  }

  /** Ended as {@code to} at {@code now}: the lease and any stop deadline are over. */
  private TaskStateBuilder finishing(TaskStatus to, Instant now) {
    return toBuilder()
        .status(to)
        .leaseExpiresAt(null)
        .finishedAt(now)
        .error(null)
        .exitCode(null)
        .stopDeadline(null)
        .output(null)
        .changed(null);
  }

  /** This state's fields, to change some by name and build a new one. */
  public TaskStateBuilder toBuilder() {
    return new TaskStateBuilder()
        .jobId(jobId)
        .runId(runId)
        .index(index)
        .status(status)
        .attempt(attempt)
        .epoch(epoch)
        .leaseTokenHash(leaseTokenHash)
        .workerId(workerId)
        .hostname(hostname)
        .leaseSeconds(leaseSeconds)
        .leaseExpiresAt(leaseExpiresAt)
        .availableAt(availableAt)
        .startedAt(startedAt)
        .finishedAt(finishedAt)
        .progress(progress)
        .items(items)
        .error(error)
        .exitCode(exitCode)
        .stopDeadline(stopDeadline)
        .output(output)
        .changed(changed)
        .boundWorker(boundWorker);
  }

  /** A task state built field by field, by name, so no transition spells them out by position. */
  public static TaskStateBuilder builder() {
    return new TaskStateBuilder();
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
