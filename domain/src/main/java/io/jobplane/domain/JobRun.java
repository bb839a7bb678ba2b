package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A job together with the tasks of its current run: the one place where task transitions move the
 * job. Rules (docs/architecture.md, "Tasks and leases"):
 *
 * <ul>
 *   <li>the first lease of a QUEUED job starts it (STARTED; job attempt = task attempt);
 *   <li>a retryable task failure records RETRIED; when no other task is running or finished, the
 *       job itself goes back to QUEUED ({@link Job#retry});
 *   <li>when every task is terminal: a STOPPING job is STOPPED; otherwise all SUCCEEDED →
 *       SUCCEEDED, none SUCCEEDED → FAILED (first error), mixed → PARTIALLY_FAILED;
 *   <li>job timeout (timeout_seconds since started_at) → TIMED_OUT, open tasks TIMED_OUT;
 *   <li>stop: queued tasks stop at once, running ones get a deadline (timeout, default 30 s), force
 *       (or an overdue deadline) stops them in the store;
 *   <li>job progress = mean task progress (a succeeded task counts 100).
 * </ul>
 *
 * Time and randomness (backoff jitter) come in as arguments. The rules of settling a run ({@link
 * RunSettlement}), of the sweeper ({@link RunSweeper}) and of broadcasts ({@link BroadcastTasks})
 * live in package-private collaborators that share this run's {@link RunTaskBook}; this class is
 * the entry point for every change.
 */
public final class JobRun {

  public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 30;

  private final Job job;
  private final RunTaskBook tasks = new RunTaskBook();
  private final JobSnapshot original;
  private final RunSettlement settlement;
  private final RunSweeper sweeper;
  private final BroadcastTasks broadcast;

  private JobRun(Job job, List<TaskState> current) {
    this.job = job;
    this.original = job.snapshot();
    for (TaskState t : current) {
      if (!t.jobId().equals(job.id()) || t.runId() != job.snapshot().runId()) {
        throw new IllegalArgumentException("task " + t + " is not of the job's current run");
      }
      tasks.add(t);
    }
    this.settlement = new RunSettlement(job, tasks);
    this.sweeper = new RunSweeper(job, tasks, settlement);
    this.broadcast = new BroadcastTasks(job, tasks);
  }

  public static JobRun of(Job job, List<TaskState> tasksOfCurrentRun) {
    return new JobRun(Objects.requireNonNull(job, "job"), tasksOfCurrentRun);
  }

  /**
   * The tasks of a new run of {@code job}: {@code parallelism} queued tasks. Their epochs continue
   * after {@code lastEpoch} (the highest epoch any earlier run used), so a worker of an earlier run
   * can never present a valid epoch for the new one.
   */
  public static List<TaskState> newTasks(JobSnapshot job, long lastEpoch, Instant now) {
    List<TaskState> created = new ArrayList<>();
    for (int i = 0; i < job.definition().parallelism(); i++) {
      created.add(TaskState.queued(job.id(), job.runId(), i, lastEpoch, now));
    }
    return created;
  }

  /**
   * The tasks of a new run of a broadcast job: one per worker of {@code workers} (as many as its
   * parallelism), task {@code i} bound to {@code workers[i]}.
   */
  public static List<TaskState> newBoundTasks(
      JobSnapshot job, long lastEpoch, Instant now, List<String> workers) {
    return BroadcastTasks.newRun(job, lastEpoch, now, workers);
  }

  public Job job() {
    return job;
  }

  /** Whether the job needs to be written (new state or events). */
  public boolean jobChanged() {
    return !job.uncommittedEvents().isEmpty() || !job.snapshot().equals(original);
  }

  /** Tasks changed by this object, by index. */
  public List<TaskState> changedTasks() {
    return tasks.changed();
  }

  public List<TaskState> tasks() {
    return tasks.list();
  }

  public TaskState task(int index) {
    TaskState t = tasks.get(index);
    if (t == null) {
      throw DomainException.notFound(
          "job " + job.id() + " has no task " + index + " in run " + job.snapshot().runId());
    }
    return t;
  }

  /**
   * A worker that was not live when this broadcast began joins it ({@code include_late_joiners}):
   * the run gets a task of its own bound to {@code worker}, the next index, its epoch after {@code
   * lastEpoch}. Returns the new task (stored by the caller with {@link #changedTasks()}' insert).
   */
  public TaskState join(String worker, long lastEpoch, Instant now) {
    return broadcast.join(worker, lastEpoch, now);
  }

  /** Whether a worker may lease this task now. */
  public boolean leasable(int index, Instant now) {
    JobSnapshot s = job.snapshot();
    TaskState t = tasks.get(index);
    return t != null
        && t.status() == TaskStatus.QUEUED
        && !t.availableAt().isAfter(now)
        && s.desiredState() == DesiredState.RUNNING
        && (s.status() == JobStatus.QUEUED || s.status() == JobStatus.RUNNING);
  }

  /**
   * Runs {@code change} (one worker report) on this run. When it throws, the run is exactly as it
   * was before (the job's state and uncommitted events, every task, the set of changed tasks), so a
   * batch of reports on one job can refuse one report and keep the others. Reports validate before
   * they change anything today; this makes it hold for every rule the job's transitions add.
   */
  public <T> T atomically(Supplier<T> change) {
    Job.Mark mark = job.mark();
    RunTaskBook.Saved saved = tasks.save();
    try {
      return change.get();
    } catch (RuntimeException e) {
      job.rollBackTo(mark);
      tasks.restore(saved);
      throw e;
    }
  }

  // ----- worker side ---------------------------------------------------------------------------

  /** Leases task {@code index} to the worker holding the token that hashes to {@code tokenHash}. */
  public TaskState lease(
      int index,
      String workerId,
      String hostname,
      int leaseSeconds,
      String tokenHash,
      Instant now) {
    if (!leasable(index, now)) {
      throw DomainException.conflict(
          "task " + index + " of job " + job.id() + " cannot be leased now");
    }
    TaskState leased = task(index).lease(workerId, hostname, leaseSeconds, tokenHash, now);
    tasks.put(leased);
    if (job.status() == JobStatus.QUEUED) {
      job.startAttempt(leased.attempt(), now, source(workerId));
    }
    return leased;
  }

  public TaskState heartbeat(
      int index, LeaseProof proof, Integer progress, TaskItems items, Instant now) {
    TaskState t = tasks.put(task(index).heartbeat(proof, progress, items, now));
    if (progress != null && job.status().isActive()) {
      job.deriveProgress(tasks.meanProgress(), now);
    }
    return t;
  }

  public TaskState complete(
      int index, LeaseProof proof, String outputJson, Boolean hasChanged, Instant now) {
    TaskState before = task(index);
    TaskState t = tasks.put(before.complete(proof, outputJson, hasChanged, now));
    settlement.settle(now, source(before.workerId()));
    return t;
  }

  public TaskState fail(
      int index,
      LeaseProof proof,
      JobError error,
      Integer exitCode,
      boolean retryable,
      double random,
      Instant now) {
    TaskState before = task(index);
    before.requireCurrent(proof, now);
    boolean stopping = job.status() == JobStatus.STOPPING;
    TaskState t =
        tasks.put(
            before.fail(
                proof,
                error,
                exitCode,
                retryable && !stopping,
                job.snapshot().definition().maxAttempts(),
                random,
                now));
    settlement.afterFailure(before, t, now);
    return t;
  }

  public TaskState stopped(int index, LeaseProof proof, Instant now) {
    TaskState before = task(index);
    TaskState t = tasks.put(before.stopped(proof, now));
    settlement.settle(now, source(before.workerId()));
    return t;
  }

  // ----- user side -----------------------------------------------------------------------------

  /** {@link Job#requestStop} and its consequences for the tasks. */
  public TimelineEvent requestStop(StopMode mode, Integer timeoutSeconds, Instant now, String src) {
    TimelineEvent event = job.requestStop(mode, timeoutSeconds, now, src);
    if (job.status() == JobStatus.STOPPED) {
      for (TaskState t : tasks.values()) {
        tasks.put(t.forceStop(now));
      }
    } else {
      int seconds = timeoutSeconds == null ? DEFAULT_STOP_TIMEOUT_SECONDS : timeoutSeconds;
      Instant deadline = now.plusSeconds(seconds);
      for (TaskState t : tasks.values()) {
        tasks.put(t.requestStop(deadline, now));
      }
      settlement.settle(now, "system");
    }
    return event;
  }

  // ----- sweeper -------------------------------------------------------------------------------

  /**
   * Applies what time alone decides: the job's timeout, overdue graceful stops (forced) and expired
   * leases (retried with backoff, or failed when attempts are used up). Returns what it did.
   */
  public Swept sweep(double random, Instant now) {
    return sweeper.sweep(random, now);
  }

  /**
   * The queued tasks bound to a worker of {@code lost} (gone: not seen for {@code notSeenFor}) fail
   * with reason {@link TaskState#AGENT_LOST}; then the usual rules: the job ends when every task
   * has (some succeeded: PARTIALLY_FAILED). A job that never started and has no task left that a
   * worker may still claim is REJECTED. Only a QUEUED or RUNNING job is touched (a suspended
   * broadcast keeps its tasks until resumed). Returns how many tasks failed.
   */
  public int agentsLost(Set<String> lost, Duration notSeenFor, Instant now) {
    int failed = broadcast.agentsLost(lost, notSeenFor, now);
    if (failed > 0) {
      // a job still queued or just rejected is not active, so only a running one moves here
      settlement.settle(now, "system");
    }
    return failed;
  }

  /** What one sweep changed. */
  public record Swept(int expiredLeases, int timedOutTasks, int forcedStops) {
    public boolean any() {
      return expiredLeases + timedOutTasks + forcedStops > 0;
    }
  }

  private static String source(String workerId) {
    return workerId == null ? "worker" : "worker:" + workerId.toLowerCase(Locale.ROOT);
  }
}
