package io.jobplane.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The job aggregate. Every change goes through a transition method that checks the state machine
 * ({@link JobStatus#canTransitionTo}), updates the snapshot and records a {@link TimelineEvent}; an
 * illegal transition throws, it is never a silent no-op. Time always comes in as an argument.
 *
 * <p>The rules of each group of transitions live in package-private collaborators that compute a
 * {@link Transition} from the current snapshot ({@link QueueTransitions}, {@link
 * AttemptTransitions}, {@link StopTransitions}, {@link EndTransitions}); this class applies it and
 * keeps the timeline, so it stays the one entry point that moves a job.
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
    job.record(EventType.SUBMITTED, null, now, source, "job submitted", null);
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

  // ----- waiting and starting ------------------------------------------------------------------

  public TimelineEvent enqueue(Instant now, String source) {
    return apply(QueueTransitions.enqueue(state, now), now, source);
  }

  /**
   * Queues a job that waited in PENDING for the jobs it depends on, now that they all ended well.
   */
  public TimelineEvent release(JobDependencies met, Instant now, String source) {
    return apply(QueueTransitions.release(state, met, now), now, source);
  }

  public TimelineEvent suspend(Instant now, String source) {
    return apply(QueueTransitions.suspend(state, now), now, source);
  }

  public TimelineEvent resume(Instant now, String source) {
    return apply(QueueTransitions.resume(state, now), now, source);
  }

  public TimelineEvent start(Instant now, String source) {
    return apply(QueueTransitions.start(state, now), now, source);
  }

  /**
   * Starts the job for a worker's lease of one of its tasks; the job's attempt becomes the attempt
   * of that task, so the timeline says which attempt is running.
   */
  public TimelineEvent startAttempt(int attempt, Instant now, String source) {
    return apply(QueueTransitions.startAttempt(state, attempt, now), now, source);
  }

  // ----- attempts and runs ---------------------------------------------------------------------

  /** A retryable failure of a running attempt: back to the queue with the next attempt number. */
  public TimelineEvent retry(JobError error, Instant now, String source) {
    return apply(AttemptTransitions.retry(state, error, now), now, source);
  }

  /**
   * Records in the timeline that one task of a running job failed and was queued again, while the
   * job itself keeps running (its other tasks still work).
   */
  public TimelineEvent noteTaskRetried(JobError error, String message, Instant now, String source) {
    return apply(AttemptTransitions.noteTaskRetried(state, error, message, now), now, source);
  }

  /**
   * A runtime that retries inside one run (a batch Job replacing a failed pod) reports that an
   * attempt failed and the next one started: the job keeps running with the next attempt number,
   * and the timeline says why the earlier attempt ended.
   */
  public TimelineEvent noteAttemptFailed(
      int nextAttempt, JobError error, Instant now, String source) {
    return apply(AttemptTransitions.noteAttemptFailed(state, nextAttempt, error, now), now, source);
  }

  /**
   * Starts a new run of a finished job: the run number goes up, attempts start over, the earlier
   * runs stay in the timeline. A checkpoint and a new parallelism may be handed to the new run.
   */
  public TimelineEvent restart(
      String checkpointId, Integer parallelism, Instant now, String source) {
    return apply(AttemptTransitions.restart(state, checkpointId, parallelism, now), now, source);
  }

  // ----- stopping and ending -------------------------------------------------------------------

  /**
   * Asks the job to stop. A job that holds no worker stops at once; a running job moves to STOPPING
   * and its runtime finishes the stop, unless the mode is FORCE, which stops it in the store
   * without waiting.
   */
  public TimelineEvent requestStop(
      StopMode mode, Integer timeoutSeconds, Instant now, String source) {
    return apply(StopTransitions.requestStop(state, mode, timeoutSeconds, now), now, source);
  }

  /** The runtime confirms that a stopping job has stopped. */
  public TimelineEvent confirmStopped(Instant now, String source) {
    return apply(StopTransitions.confirmStopped(state, now), now, source);
  }

  public TimelineEvent succeed(Instant now, String source) {
    return apply(EndTransitions.succeed(state, now), now, source);
  }

  public TimelineEvent fail(JobError error, Instant now, String source) {
    return apply(EndTransitions.fail(state, error, now), now, source);
  }

  /** Some tasks of the run succeeded, others did not: the run is over, partially failed. */
  public TimelineEvent partiallyFail(JobError error, Instant now, String source) {
    return apply(EndTransitions.partiallyFail(state, error, now), now, source);
  }

  public TimelineEvent timeOut(Instant now, String source) {
    return apply(EndTransitions.timeOut(state, now), now, source);
  }

  public TimelineEvent reject(JobError error, Instant now, String source) {
    return apply(EndTransitions.reject(state, error, now), now, source);
  }

  /**
   * Ends a job that waited in PENDING for other jobs, one of which ended in a way its condition
   * does not accept; it never ran.
   */
  public TimelineEvent skip(JobId dependency, JobStatus endedAs, Instant now, String source) {
    return apply(EndTransitions.skip(state, dependency, endedAs, now), now, source);
  }

  // ----- changes that are not transitions (no timeline event) ----------------------------------

  /** The job's progress as derived from its tasks; a no-op unless it changes. */
  public void deriveProgress(int progress, Instant now) {
    if (state.progress() != null && state.progress() == progress) {
      return;
    }
    reportProgress(progress, now);
  }

  public void reportProgress(int progress, Instant now) {
    if (progress < 0 || progress > 100) {
      throw DomainException.invalid("progress", "must be between 0 and 100");
    }
    if (!state.status().isActive()) {
      throw TransitionGuards.refused(
          "job " + state.id() + " is " + state.status() + "; only a running job reports progress");
    }
    state = state.toBuilder().progress(progress).updatedAt(now).build();
  }

  /**
   * A worker joined a running (or still queued) broadcast that takes in late joiners: the run gets
   * one more task, so its parallelism grows by one.
   */
  public void widenBroadcast(Instant now) {
    JobDefinition d = state.definition();
    if (d.placement() == null || !d.placement().includeLateJoiners()) {
      throw DomainException.conflict("job " + id() + " is not a broadcast that takes late joiners");
    }
    if (state.status() != JobStatus.QUEUED && state.status() != JobStatus.RUNNING) {
      throw TransitionGuards.refused(
          "job " + id() + " is " + state.status() + "; only a queued or running one takes joiners");
    }
    state =
        state.toBuilder().definition(d.withParallelism(d.parallelism() + 1)).updatedAt(now).build();
  }

  /** Only finished runs may be deleted, so nothing a runtime still works on disappears. */
  public void ensureDeletable() {
    if (!state.status().isTerminal()) {
      throw TransitionGuards.refused(
          "job "
              + state.id()
              + " is "
              + state.status()
              + "; only a finished job can be deleted;"
              + " stop it first");
    }
  }

  private TimelineEvent apply(Transition t, Instant now, String source) {
    JobStatus from = state.status();
    state = t.next();
    return record(t.type(), from, now, source, t.message(), t.error());
  }

  /** The event of the change to the current state, numbered with the current run and attempt. */
  private TimelineEvent record(
      EventType type, JobStatus from, Instant now, String source, String message, JobError error) {
    TimelineEvent event =
        new TimelineEvent(
            now,
            type,
            from,
            state.status(),
            source,
            message,
            error,
            state.runId(),
            state.attempt());
    uncommitted.add(event);
    return event;
  }
}
