package io.jobplane.domain;

import static io.jobplane.domain.TransitionGuards.illegal;
import static io.jobplane.domain.TransitionGuards.refused;
import static io.jobplane.domain.TransitionGuards.requireActive;
import static io.jobplane.domain.TransitionGuards.requireStatus;

import java.time.Instant;
import java.util.Objects;

/**
 * The rules of attempts and runs: a failed attempt may be retried up to the definition's {@code
 * max_attempts}, within the run (a runtime that retries itself, a task queued again) or by queueing
 * the job again; a finished job may be restarted as a new run, whose attempts start over.
 */
final class AttemptTransitions {

  private AttemptTransitions() {}

  /** A retryable failure of a running attempt: back to the queue with the next attempt number. */
  static Transition retry(JobSnapshot s, JobError error, Instant now) {
    Objects.requireNonNull(error, "error");
    requireStatus(s, JobStatus.RUNNING, "retry", JobStatus.QUEUED);
    if (s.attempt() >= s.definition().maxAttempts()) {
      throw refused(
          "job " + s.id() + " has used all " + s.definition().maxAttempts() + " attempts");
    }
    JobSnapshot next = freshAttempt(s, now).attempt(s.attempt() + 1).error(error).build();
    return Transition.failing(
        next,
        EventType.RETRIED,
        "attempt " + s.attempt() + " failed; queued attempt " + next.attempt(),
        error);
  }

  /**
   * One task of a running job failed and was queued again, while the job itself keeps running (its
   * other tasks still work): only the timeline changes.
   */
  static Transition noteTaskRetried(JobSnapshot s, JobError error, String message, Instant now) {
    Objects.requireNonNull(error, "error");
    requireActive(s, "note a task retry of", s.status());
    return Transition.failing(
        s.toBuilder().updatedAt(now).build(), EventType.RETRIED, message, error);
  }

  /**
   * A runtime that retries inside one run (a batch Job replacing a failed pod) reports that an
   * attempt failed and the next one started: the job keeps running with the next attempt number.
   */
  static Transition noteAttemptFailed(JobSnapshot s, int nextAttempt, JobError error, Instant now) {
    Objects.requireNonNull(error, "error");
    requireActive(s, "note a failed attempt of", s.status());
    if (nextAttempt <= s.attempt() || nextAttempt > s.definition().maxAttempts()) {
      throw DomainException.invalid(
          "attempt",
          "must be after attempt " + s.attempt() + " and at most " + s.definition().maxAttempts());
    }
    JobSnapshot next = s.toBuilder().attempt(nextAttempt).updatedAt(now).error(error).build();
    return Transition.failing(
        next,
        EventType.RETRIED,
        "attempt "
            + (nextAttempt - 1)
            + " failed: "
            + error.message()
            + "; attempt "
            + nextAttempt
            + " started",
        error);
  }

  /**
   * A new run of a finished job: the run number goes up, attempts start over, the earlier runs stay
   * in the timeline. A checkpoint and a new parallelism may be handed to the new run.
   */
  static Transition restart(JobSnapshot s, String checkpointId, Integer parallelism, Instant now) {
    if (!s.status().isTerminal() || s.status() == JobStatus.REJECTED) {
      throw illegal(s, "restart", JobStatus.QUEUED);
    }
    if (checkpointId != null) {
      Text.displayText(checkpointId, "checkpoint_id", 200);
    }
    JobDefinition definition = s.definition();
    if (parallelism != null) {
      definition = definition.withParallelism(parallelism);
    }
    int nextRun = s.runId() + 1;
    JobSnapshot next =
        freshAttempt(s, now)
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
    return Transition.to(next, EventType.RESTARTED, message.toString());
  }

  /**
   * Back in the queue for another attempt or run: no progress, start, end or stop request of the
   * one before; the caller sets the attempt, the error and what else the new one starts with.
   */
  private static JobSnapshotBuilder freshAttempt(JobSnapshot s, Instant now) {
    return Transition.moved(s, JobStatus.QUEUED, now)
        .progress(null)
        .queuedAt(now)
        .startedAt(null)
        .finishedAt(null)
        .stopMode(null)
        .stopTimeoutSeconds(null);
  }
}
