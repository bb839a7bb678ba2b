package io.jobplane.domain;

import static io.jobplane.domain.TransitionGuards.illegal;
import static io.jobplane.domain.TransitionGuards.requireStatus;
import static io.jobplane.domain.TransitionGuards.requireTransition;

import java.time.Instant;

/**
 * The transitions of a job before it runs: into the queue (submitted, released by the jobs it
 * depends on, resumed), out of it while suspended, and from the queue into its first running state.
 */
final class QueueTransitions {

  private QueueTransitions() {}

  static Transition enqueue(JobSnapshot s, Instant now) {
    return enqueue(s, now, "waiting in queue '" + s.definition().queue() + "'");
  }

  /** Queues a job that waited in PENDING for the jobs it depends on, now that they ended well. */
  static Transition release(JobSnapshot s, JobDependencies met, Instant now) {
    return enqueue(
        s,
        now,
        met.describe() + " ended as required; waiting in queue '" + s.definition().queue() + "'");
  }

  private static Transition enqueue(JobSnapshot s, Instant now, String message) {
    requireStatus(s, JobStatus.PENDING, "queue", JobStatus.QUEUED);
    return Transition.to(queued(s, now), EventType.QUEUED, message);
  }

  static Transition suspend(JobSnapshot s, Instant now) {
    if (s.status() == JobStatus.RUNNING || s.status().isTerminal()) {
      throw illegal(s, "suspend", JobStatus.SUSPENDED);
    }
    requireTransition(s, JobStatus.SUSPENDED, "suspend");
    JobSnapshot next =
        Transition.moved(s, JobStatus.SUSPENDED, now)
            .queuedAt(null)
            .startedAt(null)
            .finishedAt(null)
            .error(null)
            .build();
    return Transition.to(
        next, EventType.SUSPENDED, "job suspended; it will not be scheduled until resumed");
  }

  static Transition resume(JobSnapshot s, Instant now) {
    requireStatus(s, JobStatus.SUSPENDED, "resume", JobStatus.QUEUED);
    return Transition.to(queued(s, now), EventType.RESUMED, "job resumed and queued");
  }

  static Transition start(JobSnapshot s, Instant now) {
    requireStatus(s, JobStatus.QUEUED, "start", JobStatus.RUNNING);
    JobSnapshot next =
        Transition.moved(s, JobStatus.RUNNING, now)
            .startedAt(now)
            .finishedAt(null)
            .error(null)
            .build();
    return Transition.to(
        next, EventType.STARTED, "run " + next.runId() + " attempt " + next.attempt() + " started");
  }

  /** Starts the job as {@code attempt}: the attempt of the task a worker leased first. */
  static Transition startAttempt(JobSnapshot s, int attempt, Instant now) {
    requireStatus(s, JobStatus.QUEUED, "start", JobStatus.RUNNING);
    if (attempt < 1) {
      throw DomainException.invalid("attempt", "must be at least 1");
    }
    return start(s.toBuilder().attempt(attempt).build(), now);
  }

  /** In the queue from {@code now}, wanted running, nothing of an earlier wait or run left. */
  private static JobSnapshot queued(JobSnapshot s, Instant now) {
    return Transition.moved(s, JobStatus.QUEUED, now)
        .queuedAt(now)
        .startedAt(null)
        .finishedAt(null)
        .error(null)
        .desiredState(DesiredState.RUNNING)
        .build();
  }
}
