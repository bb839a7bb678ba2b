package io.jobplane.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
 * Time and randomness (backoff jitter) come in as arguments.
 */
public final class JobRun {

  public static final int DEFAULT_STOP_TIMEOUT_SECONDS = 30;

  private final Job job;
  private final TreeMap<Integer, TaskState> tasks = new TreeMap<>();
  private final Map<Integer, TaskState> changed = new TreeMap<>();
  private final JobSnapshot original;

  private JobRun(Job job, List<TaskState> current) {
    this.job = job;
    this.original = job.snapshot();
    for (TaskState t : current) {
      if (!t.jobId().equals(job.id()) || t.runId() != job.snapshot().runId()) {
        throw new IllegalArgumentException("task " + t + " is not of the job's current run");
      }
      tasks.put(t.index(), t);
    }
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
    if (workers.size() != job.definition().parallelism()) {
      throw new IllegalArgumentException(
          "a broadcast run has one task per worker: "
              + workers.size()
              + " workers, parallelism "
              + job.definition().parallelism());
    }
    List<TaskState> created = new ArrayList<>();
    for (int i = 0; i < workers.size(); i++) {
      created.add(TaskState.boundTo(workers.get(i), job.id(), job.runId(), i, lastEpoch, now));
    }
    return created;
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
    return List.copyOf(changed.values());
  }

  public List<TaskState> tasks() {
    return List.copyOf(tasks.values());
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
    if (tasks.values().stream().anyMatch(t -> worker.equals(t.boundWorker()))) {
      throw DomainException.conflict("worker " + worker + " already has a task of job " + job.id());
    }
    int index = job.snapshot().definition().parallelism();
    job.widenBroadcast(now);
    TaskState joined =
        TaskState.boundTo(worker, job.id(), job.snapshot().runId(), index, lastEpoch, now);
    tasks.put(index, joined);
    return joined;
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
    Map<Integer, TaskState> tasksBefore = new TreeMap<>(tasks);
    Map<Integer, TaskState> changedBefore = new TreeMap<>(changed);
    try {
      return change.get();
    } catch (RuntimeException e) {
      job.rollBackTo(mark);
      tasks.clear();
      tasks.putAll(tasksBefore);
      changed.clear();
      changed.putAll(changedBefore);
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
    put(leased);
    if (job.status() == JobStatus.QUEUED) {
      job.startAttempt(leased.attempt(), now, source(workerId));
    }
    return leased;
  }

  public TaskState heartbeat(
      int index, LeaseProof proof, Integer progress, TaskItems items, Instant now) {
    TaskState t = put(task(index).heartbeat(proof, progress, items, now));
    if (progress != null && job.status().isActive()) {
      job.deriveProgress(meanProgress(), now);
    }
    return t;
  }

  public TaskState complete(
      int index, LeaseProof proof, String outputJson, Boolean hasChanged, Instant now) {
    TaskState before = task(index);
    TaskState t = put(before.complete(proof, outputJson, hasChanged, now));
    settle(now, source(before.workerId()));
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
        put(
            before.fail(
                proof,
                error,
                exitCode,
                retryable && !stopping,
                job.snapshot().definition().maxAttempts(),
                random,
                now));
    afterFailure(before, t, now);
    return t;
  }

  public TaskState stopped(int index, LeaseProof proof, Instant now) {
    TaskState before = task(index);
    TaskState t = put(before.stopped(proof, now));
    settle(now, source(before.workerId()));
    return t;
  }

  // ----- user side -----------------------------------------------------------------------------

  /** {@link Job#requestStop} and its consequences for the tasks. */
  public TimelineEvent requestStop(StopMode mode, Integer timeoutSeconds, Instant now, String src) {
    TimelineEvent event = job.requestStop(mode, timeoutSeconds, now, src);
    if (job.status() == JobStatus.STOPPED) {
      for (TaskState t : tasks.values()) {
        put(t.forceStop(now));
      }
    } else {
      int seconds = timeoutSeconds == null ? DEFAULT_STOP_TIMEOUT_SECONDS : timeoutSeconds;
      Instant deadline = now.plusSeconds(seconds);
      for (TaskState t : tasks.values()) {
        put(t.requestStop(deadline, now));
      }
      settle(now, "system");
    }
    return event;
  }

  // ----- sweeper -------------------------------------------------------------------------------

  /**
   * Applies what time alone decides: the job's timeout, overdue graceful stops (forced) and expired
   * leases (retried with backoff, or failed when attempts are used up). Returns what it did.
   */
  public Swept sweep(double random, Instant now) {
    int timedOut = 0;
    int forced = 0;
    int expired = 0;
    JobSnapshot s = job.snapshot();
    Integer timeout = s.definition().timeoutSeconds();
    if (job.status().isActive()
        && timeout != null
        && s.startedAt() != null
        && !s.startedAt().plusSeconds(timeout).isAfter(now)) {
      job.timeOut(now, "system");
      JobError error = job.snapshot().error();
      for (TaskState t : tasks.values()) {
        if (t.isOpen()) {
          put(t.timeOut(error, now));
          timedOut++;
        }
      }
      return new Swept(expired, timedOut, forced);
    }
    for (TaskState t : List.copyOf(tasks.values())) {
      if (t.status() != TaskStatus.RUNNING) {
        continue;
      }
      if (t.stopDeadline() != null && !t.stopDeadline().isAfter(now)) {
        put(t.forceStop(now));
        forced++;
      } else if (!t.leaseExpiresAt().isAfter(now)) {
        TaskState after =
            job.status() == JobStatus.STOPPING
                ? t.forceStop(now)
                : t.expire(s.definition().maxAttempts(), random, now);
        put(after);
        expired++;
        afterFailure(t, after, now);
      }
    }
    settle(now, "system");
    return new Swept(expired, timedOut, forced);
  }

  /**
   * The queued tasks bound to a worker of {@code lost} (gone: not seen for {@code notSeenFor}) fail
   * with reason {@link TaskState#AGENT_LOST}; then the usual rules: the job ends when every task
   * has (some succeeded: PARTIALLY_FAILED). A job that never started and has no task left that a
   * worker may still claim is REJECTED. Only a QUEUED or RUNNING job is touched (a suspended
   * broadcast keeps its tasks until resumed). Returns how many tasks failed.
   */
  public int agentsLost(Set<String> lost, Duration notSeenFor, Instant now) {
    JobStatus status = job.status();
    if (status != JobStatus.QUEUED && status != JobStatus.RUNNING) {
      return 0;
    }
    int failed = 0;
    for (TaskState t : List.copyOf(tasks.values())) {
      if (t.status() == TaskStatus.QUEUED
          && t.boundWorker() != null
          && lost.contains(t.boundWorker())) {
        put(t.agentLost(notSeenFor, now));
        failed++;
      }
    }
    if (failed == 0) {
      return 0;
    }
    if (job.status() == JobStatus.QUEUED) {
      if (tasks.values().stream().noneMatch(TaskState::isOpen)) {
        job.reject(
            new JobError(
                TaskState.AGENT_LOST,
                "every worker the broadcast went to went away before claiming its task"),
            now,
            "system");
      }
      return failed;
    }
    settle(now, "system");
    return failed;
  }

  /** What one sweep changed. */
  public record Swept(int expiredLeases, int timedOutTasks, int forcedStops) {
    public boolean any() {
      return expiredLeases + timedOutTasks + forcedStops > 0;
    }
  }

  // ----- rules ---------------------------------------------------------------------------------

  private void afterFailure(TaskState before, TaskState after, Instant now) {
    if (after.status() == TaskStatus.QUEUED && job.status() == JobStatus.RUNNING) {
      String message =
          "task "
              + after.index()
              + " attempt "
              + before.attempt()
              + " failed; queued attempt "
              + after.attempt()
              + " after backoff until "
              + after.availableAt();
      boolean othersBusy =
          tasks.values().stream()
              .anyMatch(
                  t ->
                      t.index() != after.index()
                          && (t.status() == TaskStatus.RUNNING || t.status().isTerminal()));
      if (!othersBusy && job.snapshot().attempt() < job.snapshot().definition().maxAttempts()) {
        job.retry(after.error(), now, "system");
      } else {
        job.noteTaskRetried(after.error(), message, now, "system");
      }
      return;
    }
    settle(now, "system");
  }

  /** Moves the job when all tasks are terminal; otherwise keeps its progress in step. */
  private void settle(Instant now, String source) {
    if (!job.status().isActive() || tasks.isEmpty()) {
      return;
    }
    if (tasks.values().stream().anyMatch(TaskState::isOpen)) {
      job.deriveProgress(meanProgress(), now);
      return;
    }
    if (job.status() == JobStatus.STOPPING) {
      job.confirmStopped(now, source);
      return;
    }
    long succeeded = count(TaskStatus.SUCCEEDED);
    long total = tasks.size();
    if (succeeded == total) {
      job.succeed(now, source);
      return;
    }
    JobError first =
        tasks.values().stream()
            .filter(t -> t.status() != TaskStatus.SUCCEEDED && t.error() != null)
            .map(TaskState::error)
            .findFirst()
            .orElse(new JobError("TASK_FAILED", "a task did not succeed"));
    job.deriveProgress(meanProgress(), now);
    if (succeeded == 0) {
      job.fail(first, now, source);
    } else {
      job.partiallyFail(
          new JobError(
              "PARTIAL_FAILURE",
              (total - succeeded)
                  + " of "
                  + total
                  + " tasks did not succeed ("
                  + succeeded
                  + " succeeded, "
                  + count(TaskStatus.FAILED)
                  + " failed); first error: "
                  + first.reason()
                  + ": "
                  + first.message()),
          now,
          source);
    }
  }

  private long count(TaskStatus status) {
    return tasks.values().stream().filter(t -> t.status() == status).count();
  }

  int meanProgress() {
    if (tasks.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (TaskState t : tasks.values()) {
      sum += t.status() == TaskStatus.SUCCEEDED ? 100 : (t.progress() == null ? 0 : t.progress());
    }
    return (int) (sum / tasks.size());
  }

  private TaskState put(TaskState t) {
    if (!t.equals(tasks.get(t.index()))) {
      tasks.put(t.index(), t);
      changed.put(t.index(), t);
    }
    return t;
  }

  private static String source(String workerId) {
    return workerId == null ? "worker" : "worker:" + workerId.toLowerCase(Locale.ROOT);
  }
}
