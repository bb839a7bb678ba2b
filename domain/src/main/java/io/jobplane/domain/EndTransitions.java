package io.jobplane.domain;

import static io.jobplane.domain.TransitionGuards.requireActive;
import static io.jobplane.domain.TransitionGuards.requireTransition;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * The transitions that end a run: each one finishes the job, records why, and leaves nothing wanted
 * running. Only a restart leaves these states again ({@link AttemptTransitions#restart}).
 */
final class EndTransitions {

  private EndTransitions() {}

  static Transition succeed(JobSnapshot s, Instant now) {
    requireActive(s, "complete", JobStatus.SUCCEEDED);
    return finish(
        s.toBuilder().progress(100).build(),
        JobStatus.SUCCEEDED,
        EventType.SUCCEEDED,
        now,
        "job succeeded",
        null);
  }

  static Transition fail(JobSnapshot s, JobError error, Instant now) {
    Objects.requireNonNull(error, "error");
    requireActive(s, "fail", JobStatus.FAILED);
    return finish(s, JobStatus.FAILED, EventType.FAILED, now, error.message(), error);
  }

  /** Some tasks of the run succeeded, others did not: the run is over, partially failed. */
  static Transition partiallyFail(JobSnapshot s, JobError error, Instant now) {
    Objects.requireNonNull(error, "error");
    requireActive(s, "partially fail", JobStatus.PARTIALLY_FAILED);
    return finish(
        s, JobStatus.PARTIALLY_FAILED, EventType.PARTIALLY_FAILED, now, error.message(), error);
  }

  static Transition timeOut(JobSnapshot s, Instant now) {
    requireActive(s, "time out", JobStatus.TIMED_OUT);
    JobError error =
        new JobError(
            "TIMEOUT", "job exceeded its timeout of " + s.definition().timeoutSeconds() + " s");
    return finish(s, JobStatus.TIMED_OUT, EventType.TIMED_OUT, now, error.message(), error);
  }

  /** A job that waited for another, which ended in a way its condition does not accept. */
  static Transition skip(JobSnapshot s, JobId dependency, JobStatus endedAs, Instant now) {
    String message =
        "skipped: job " + dependency + " it depends on ended " + endedAs + ", so it never ran";
    return finish(
        s,
        JobStatus.SKIPPED,
        EventType.SKIPPED,
        now,
        message,
        new JobError("DEPENDENCY_NOT_MET", message));
  }

  /** Refused before it ever ran: it has no start time, only an end. */
  static Transition reject(JobSnapshot s, JobError error, Instant now) {
    Objects.requireNonNull(error, "error");
    requireTransition(s, JobStatus.REJECTED, "reject");
    JobSnapshot next =
        Transition.moved(s, JobStatus.REJECTED, now)
            .startedAt(null)
            .finishedAt(now)
            .error(error)
            .desiredState(DesiredState.STOPPED)
            .build();
    return Transition.failing(next, EventType.REJECTED, error.message(), error);
  }

  /** Ends the run as {@code to}; the checks particular to {@code to} are the caller's. */
  static Transition finish(
      JobSnapshot s, JobStatus to, EventType type, Instant now, String message, JobError error) {
    requireTransition(s, to, type.name().toLowerCase(Locale.ROOT));
    JobSnapshot next =
        Transition.moved(s, to, now)
            .finishedAt(now)
            .error(error)
            .desiredState(DesiredState.STOPPED)
            .build();
    return Transition.failing(next, type, message, error);
  }
}
