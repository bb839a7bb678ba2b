package io.jobplane.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The job aggregate. Every change goes through a transition method that checks the state machine
 * ({@link JobStatus#canTransitionTo}), updates the snapshot and records a {@link TimelineEvent}; an
 * illegal transition throws, it is never a silent no-op. Time always comes in as an argument.
 */
public final class Job {

  private JobSnapshot state;
  private final List<TimelineEvent> uncommitted = new ArrayList<>();

  private Job(JobSnapshot state) {
    this.state = state;
  }

  /** A new job in PENDING; the caller then queues or suspends it. */
  public static Job submit(
      JobId id, JobDefinition definition, String createdBy, Instant now, String source) {
    Objects.requireNonNull(definition, "definition");
    if (createdBy == null || createdBy.isBlank()) {
      throw DomainException.invalid("created_by", "must not be empty");
    }
    definition = namedAfter(id, definition);
    JobSnapshot initial =
        JobSnapshot.builder()
            .id(id)
            .definition(definition)
            .status(JobStatus.PENDING)
            .createdBy(createdBy)
            .createdAt(now)
            .updatedAt(now)
            .build();
    Job job = new Job(initial);
    job.record(EventType.SUBMITTED, null, JobStatus.PENDING, now, source, "job submitted", null);
    return job;
  }

  /** A Kubernetes job submitted without a resource name gets one from its id: job-{@code <id>}. */
  private static JobDefinition namedAfter(JobId id, JobDefinition d) {
    KubernetesPlacement k8s = d.kubernetes();
    if (k8s == null || k8s.resourceName() != null) {
      return d;
    }
    return d.withKubernetes(k8s.withResourceName("job-" + id));
  }

  public static Job restore(JobSnapshot snapshot) {
    return new Job(Objects.requireNonNull(snapshot, "snapshot"));
  }

  public JobSnapshot snapshot() {
    return state;
  }

  public JobId id() {
    return state.id();
  }

  public JobStatus status() {
    return state.status();
  }

  /** Events caused since this object was created or restored, oldest first. */
  public List<TimelineEvent> uncommittedEvents() {
    return List.copyOf(uncommitted);
  }

  /** Where {@link #rollBackTo} returns to: the state and how many events were recorded. */
  record Mark(JobSnapshot state, int events) {}

  Mark mark() {
    return new Mark(state, uncommitted.size());
  }

  /** Forgets every change and event since {@code mark} (a refused report of a batch). */
  void rollBackTo(Mark mark) {
    state = mark.state();
    while (uncommitted.size() > mark.events()) {
      uncommitted.remove(uncommitted.size() - 1);
    }
  }

  public TimelineEvent enqueue(Instant now, String source) {
    return enqueue(now, source, "waiting in queue '" + state.definition().queue() + "'");
  }

  /**
   * Queues a job that waited in PENDING for the jobs it depends on, now that they all ended well.
   */
  public TimelineEvent release(JobDependencies met, Instant now, String source) {
    return enqueue(
        now,
        source,
        met.describe()
            + " ended as required; waiting in queue '"
            + state.definition().queue()
            + "'");
  }

  /**
   * Ends a job that waited in PENDING for other jobs, one of which ended in a way its condition
   * does not accept; it never ran.
   */
  public TimelineEvent skip(JobId dependency, JobStatus endedAs, Instant now, String source) {
    String message =
        "skipped: job " + dependency + " it depends on ended " + endedAs + ", so it never ran";
    return finish(
        JobStatus.SKIPPED,
        EventType.SKIPPED,
        now,
        source,
        message,
        new JobError("DEPENDENCY_NOT_MET", message));
  }

  private TimelineEvent enqueue(Instant now, String source, String message) {
    if (state.status() != JobStatus.PENDING) {
      throw illegal("queue", JobStatus.QUEUED);
    }
    state = queued(now);
    return record(
        EventType.QUEUED, JobStatus.PENDING, JobStatus.QUEUED, now, source, message, null);
  }

  /** In the queue from {@code now}, wanted running, nothing of an earlier wait or run left. */
  private JobSnapshot queued(Instant now) {
    return state.toBuilder()
        .status(JobStatus.QUEUED)
        .updatedAt(now)
        .queuedAt(now)
        .startedAt(null)
        .finishedAt(null)
        .error(null)
        .desiredState(DesiredState.RUNNING)
        .build();
  }

  /**
   * Back in the queue for another attempt or run: no progress, start, end or stop request of the
   * one before; the caller sets the attempt, the error and what else the new one starts with.
   */
  private JobSnapshotBuilder freshAttempt(Instant now) {
    return state.toBuilder()
        .status(JobStatus.QUEUED)
        .progress(null)
        .updatedAt(now)
        .queuedAt(now)
        .startedAt(null)
        .finishedAt(null)
        .stopMode(null)
        .stopTimeoutSeconds(null);
  }

  public TimelineEvent suspend(Instant now, String source) {
    JobStatus from = state.status();
    if (from == JobStatus.RUNNING || from.isTerminal()) {
      throw illegal("suspend", JobStatus.SUSPENDED);
    }
    requireTransition(JobStatus.SUSPENDED, "suspend");
    state =
        state.toBuilder()
            .status(JobStatus.SUSPENDED)
            .updatedAt(now)
            .queuedAt(null)
            .startedAt(null)
            .finishedAt(null)
            .error(null)
            .build();
    return record(
        EventType.SUSPENDED,
        from,
        JobStatus.SUSPENDED,
        now,
        source,
        "job suspended; it will not be scheduled until resumed",
        null);
  }

  public TimelineEvent resume(Instant now, String source) {
    if (state.status() != JobStatus.SUSPENDED) {
      throw illegal("resume", JobStatus.QUEUED);
    }
    state = queued(now);
    return record(
        EventType.RESUMED,
        JobStatus.SUSPENDED,
        JobStatus.QUEUED,
        now,
        source,
        "job resumed and queued",
        null);
  }

  public TimelineEvent start(Instant now, String source) {
    if (state.status() != JobStatus.QUEUED) {
      throw illegal("start", JobStatus.RUNNING);
    }
    state =
        state.toBuilder()
            .status(JobStatus.RUNNING)
            .updatedAt(now)
            .startedAt(now)
            .finishedAt(null)
            .error(null)
            .build();
    return record(
        EventType.STARTED,
        JobStatus.QUEUED,
        JobStatus.RUNNING,
        now,
        source,
        "run " + state.runId() + " attempt " + state.attempt() + " started",
        null);
  }

  /**
   * Starts the job for a worker's lease of one of its tasks; the job's attempt becomes the attempt
   * of that task, so the timeline says which attempt is running.
   */
  public TimelineEvent startAttempt(int attempt, Instant now, String source) {
    if (state.status() != JobStatus.QUEUED) {
      throw illegal("start", JobStatus.RUNNING);
    }
    if (attempt < 1) {
      throw DomainException.invalid("attempt", "must be at least 1");
    }
    state = state.toBuilder().attempt(attempt).build();
    return start(now, source);
  }

  /** Some tasks of the run succeeded, others did not: the run is over, partially failed. */
  public TimelineEvent partiallyFail(JobError error, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    requireActive("partially fail", JobStatus.PARTIALLY_FAILED);
    return finish(
        JobStatus.PARTIALLY_FAILED,
        EventType.PARTIALLY_FAILED,
        now,
        source,
        error.message(),
        error);
  }

  /**
   * Records in the timeline that one task of a running job failed and was queued again, while the
   * job itself keeps running (its other tasks still work).
   */
  public TimelineEvent noteTaskRetried(JobError error, String message, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    requireActive("note a task retry of", state.status());
    state = state.toBuilder().updatedAt(now).build();
    return record(EventType.RETRIED, state.status(), state.status(), now, source, message, error);
  }

  /**
   * A runtime that retries inside one run (a batch Job replacing a failed pod) reports that an
   * attempt failed and the next one started: the job keeps running with the next attempt number,
   * and the timeline says why the earlier attempt ended.
   */
  public TimelineEvent noteAttemptFailed(
      int nextAttempt, JobError error, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    requireActive("note a failed attempt of", state.status());
    if (nextAttempt <= state.attempt() || nextAttempt > state.definition().maxAttempts()) {
      throw DomainException.invalid(
          "attempt",
          "must be after attempt "
              + state.attempt()
              + " and at most "
              + state.definition().maxAttempts());
    }
    state = state.toBuilder().attempt(nextAttempt).updatedAt(now).error(error).build();
    return record(
        EventType.RETRIED,
        state.status(),
        state.status(),
        now,
        source,
        "attempt "
            + (nextAttempt - 1)
            + " failed: "
            + error.message()
            + "; attempt "
            + nextAttempt
            + " started",
        error);
  }

  /** The job's progress as derived from its tasks; a no-op unless it changes. */
  public void deriveProgress(int progress, Instant now) {
    if (state.progress() != null && state.progress() == progress) {
      return;
    }
    reportProgress(progress, now);
  }

  /**
   * Asks the job to stop. A job that holds no worker stops at once; a running job moves to STOPPING
   * and its runtime finishes the stop, unless the mode is FORCE, which stops it in the store
   * without waiting.
   */
  public TimelineEvent requestStop(
      StopMode mode, Integer timeoutSeconds, Instant now, String source) {
    Objects.requireNonNull(mode, "mode");
    if (timeoutSeconds != null && (timeoutSeconds < 0 || timeoutSeconds > 86_400)) {
      throw DomainException.invalid("timeout_seconds", "must be between 0 and 86400");
    }
    JobStatus from = state.status();
    boolean stopsNow = !from.isActive() || mode == StopMode.FORCE;
    if (from == JobStatus.STOPPING && mode != StopMode.FORCE) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job " + state.id() + " is already stopping; use mode 'force' to stop it at once");
    }
    JobStatus to = stopsNow ? JobStatus.STOPPED : JobStatus.STOPPING;
    requireTransition(to, "stop");
    state =
        state.toBuilder()
            .status(to)
            .updatedAt(now)
            .finishedAt(stopsNow ? now : null)
            .error(null)
            .desiredState(DesiredState.STOPPED)
            .stopMode(mode)
            .stopTimeoutSeconds(timeoutSeconds)
            .build();
    String wording = mode.name().toLowerCase(java.util.Locale.ROOT);
    return stopsNow
        ? record(EventType.STOPPED, from, to, now, source, "job stopped (" + wording + ")", null)
        : record(
            EventType.STOP_REQUESTED,
            from,
            to,
            now,
            source,
            wording
                + " stop requested"
                + (timeoutSeconds == null ? "" : ", timeout " + timeoutSeconds + " s"),
            null);
  }

  /** The runtime confirms that a stopping job has stopped. */
  public TimelineEvent confirmStopped(Instant now, String source) {
    if (state.status() != JobStatus.STOPPING) {
      throw illegal("confirm the stop of", JobStatus.STOPPED);
    }
    return finish(JobStatus.STOPPED, EventType.STOPPED, now, source, "job stopped", null);
  }

  public TimelineEvent succeed(Instant now, String source) {
    requireActive("complete", JobStatus.SUCCEEDED);
    state = state.toBuilder().progress(100).build();
    return finish(JobStatus.SUCCEEDED, EventType.SUCCEEDED, now, source, "job succeeded", null);
  }

  public TimelineEvent fail(JobError error, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    requireActive("fail", JobStatus.FAILED);
    return finish(JobStatus.FAILED, EventType.FAILED, now, source, error.message(), error);
  }

  public TimelineEvent timeOut(Instant now, String source) {
    requireActive("time out", JobStatus.TIMED_OUT);
    JobError error =
        new JobError(
            "TIMEOUT", "job exceeded its timeout of " + state.definition().timeoutSeconds() + " s");
    return finish(JobStatus.TIMED_OUT, EventType.TIMED_OUT, now, source, error.message(), error);
  }

  public TimelineEvent reject(JobError error, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    JobStatus from = state.status();
    requireTransition(JobStatus.REJECTED, "reject");
    state =
        state.toBuilder()
            .status(JobStatus.REJECTED)
            .updatedAt(now)
            .startedAt(null)
            .finishedAt(now)
            .error(error)
            .desiredState(DesiredState.STOPPED)
            .build();
    return record(
        EventType.REJECTED, from, JobStatus.REJECTED, now, source, error.message(), error);
  }

  /** A retryable failure of a running attempt: back to the queue with the next attempt number. */
  public TimelineEvent retry(JobError error, Instant now, String source) {
    Objects.requireNonNull(error, "error");
    if (state.status() != JobStatus.RUNNING) {
      throw illegal("retry", JobStatus.QUEUED);
    }
    if (state.attempt() >= state.definition().maxAttempts()) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job " + state.id() + " has used all " + state.definition().maxAttempts() + " attempts");
    }
    state = freshAttempt(now).attempt(state.attempt() + 1).error(error).build();
    return record(
        EventType.RETRIED,
        JobStatus.RUNNING,
        JobStatus.QUEUED,
        now,
        source,
        "attempt " + (state.attempt() - 1) + " failed; queued attempt " + state.attempt(),
        error);
  }

  /**
   * Starts a new run of a finished job: the run number goes up, attempts start over, the earlier
   * runs stay in the timeline. A checkpoint and a new parallelism may be handed to the new run.
   */
  public TimelineEvent restart(
      String checkpointId, Integer parallelism, Instant now, String source) {
    JobStatus from = state.status();
    if (!from.isTerminal() || from == JobStatus.REJECTED) {
      throw illegal("restart", JobStatus.QUEUED);
    }
    if (checkpointId != null) {
      Text.displayText(checkpointId, "checkpoint_id", 200);
    }
    JobDefinition definition = state.definition();
    if (parallelism != null) {
      definition = definition.withParallelism(parallelism);
    }
    int nextRun = state.runId() + 1;
    state =
        freshAttempt(now)
            .definition(definition)
            .runId(nextRun)
            .attempt(1)
            .error(null)
            .desiredState(DesiredState.RUNNING)
            .checkpointId(checkpointId)
            .build();
    StringBuilder message = new StringBuilder("run ").append(nextRun).append(" queued");
    if (checkpointId != null) {
      message.append(" from checkpoint ").append(checkpointId);
    }
    if (parallelism != null) {
      message.append(" with parallelism ").append(parallelism);
    }
    return record(
        EventType.RESTARTED, from, JobStatus.QUEUED, now, source, message.toString(), null);
  }

  /**
   * A worker joined a running (or still queued) broadcast that takes in late joiners: the run gets
   * one more task, so its parallelism grows by one. Not a transition; no timeline event.
   */
  public void widenBroadcast(Instant now) {
    JobDefinition d = state.definition();
    if (d.placement() == null || !d.placement().includeLateJoiners()) {
      throw DomainException.conflict("job " + id() + " is not a broadcast that takes late joiners");
    }
    if (state.status() != JobStatus.QUEUED && state.status() != JobStatus.RUNNING) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job " + id() + " is " + state.status() + "; only a queued or running one takes joiners");
    }
    state =
        state.toBuilder().definition(d.withParallelism(d.parallelism() + 1)).updatedAt(now).build();
  }

  public void reportProgress(int progress, Instant now) {
    if (progress < 0 || progress > 100) {
      throw DomainException.invalid("progress", "must be between 0 and 100");
    }
    if (!state.status().isActive()) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job " + state.id() + " is " + state.status() + "; only a running job reports progress");
    }
    state = state.toBuilder().progress(progress).updatedAt(now).build();
  }

  /** Only finished runs may be deleted, so nothing a runtime still works on disappears. */
  public void ensureDeletable() {
    if (!state.status().isTerminal()) {
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job "
              + state.id()
              + " is "
              + state.status()
              + "; only a finished job can be deleted;"
              + " stop it first");
    }
  }

  private TimelineEvent finish(
      JobStatus to, EventType type, Instant now, String source, String message, JobError error) {
    JobStatus from = state.status();
    requireTransition(to, type.name().toLowerCase(java.util.Locale.ROOT));
    state =
        state.toBuilder()
            .status(to)
            .updatedAt(now)
            .finishedAt(now)
            .error(error)
            .desiredState(DesiredState.STOPPED)
            .build();
    return record(type, from, to, now, source, message, error);
  }

  private void requireActive(String action, JobStatus target) {
    if (!state.status().isActive()) {
      throw illegal(action, target);
    }
  }

  private void requireTransition(JobStatus to, String action) {
    if (!state.status().canTransitionTo(to)) {
      throw illegal(action, to);
    }
  }

  private DomainException illegal(String action, JobStatus to) {
    return new DomainException(
        DomainException.Reason.ILLEGAL_TRANSITION,
        "cannot "
            + action
            + " job "
            + state.id()
            + ": it is "
            + state.status()
            + " and "
            + state.status()
            + " -> "
            + to
            + " is not an allowed transition");
  }

  private TimelineEvent record(
      EventType type,
      JobStatus from,
      JobStatus to,
      Instant now,
      String source,
      String message,
      JobError error) {
    TimelineEvent event =
        new TimelineEvent(
            now, type, from, to, source, message, error, state.runId(), state.attempt());
    uncommitted.add(event);
    return event;
  }
}
