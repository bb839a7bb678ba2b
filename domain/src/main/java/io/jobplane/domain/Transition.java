package io.jobplane.domain;

import java.time.Instant;

/**
 * What one transition of a {@link Job} decided: the snapshot it leads to and the timeline event it
 * records. The collaborators that compute transitions are pure functions of the current snapshot;
 * {@link Job} applies the result, so the aggregate stays the only place that moves a job.
 */
record Transition(JobSnapshot next, EventType type, String message, JobError error) {

  /** The snapshot moved to {@code status} at {@code now}, to which a transition adds its facts. */
  static JobSnapshotBuilder moved(JobSnapshot s, JobStatus status, Instant now) {
    return s.toBuilder().status(status).updatedAt(now);
  }

  static Transition to(JobSnapshot next, EventType type, String message) {
    return new Transition(next, type, message, null);
  }

  /** The event carries the error that caused it. */
  static Transition failing(JobSnapshot next, EventType type, String message, JobError error) {
    return new Transition(next, type, message, error);
  }
}
