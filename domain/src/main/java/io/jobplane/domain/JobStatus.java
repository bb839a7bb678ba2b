package io.jobplane.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle states of a job. A state knows whether the current run is over ({@link #isTerminal()})
 * and which states may follow it. The only way out of a terminal state is a restart, which starts a
 * new run in {@link #QUEUED}; a rejected job never ran and cannot be restarted.
 */
public enum JobStatus {
  PENDING,
  SUSPENDED,
  QUEUED,
  RUNNING,
  STOPPING,
  SUCCEEDED,
  FAILED,
  STOPPED,
  TIMED_OUT,
  /** Some tasks of the run succeeded and some did not. */
  PARTIALLY_FAILED,
  REJECTED,
  /** It waited for other jobs (depends_on) and one of them ended in a way it could not accept. */
  SKIPPED;

  public boolean isTerminal() {
    return switch (this) {
      case SUCCEEDED, FAILED, STOPPED, TIMED_OUT, PARTIALLY_FAILED, REJECTED, SKIPPED -> true;
      default -> false;
    };
  }

  /** Whether the job occupies a worker or a pod right now. */
  public boolean isActive() {
    return this == RUNNING || this == STOPPING;
  }

  public Set<JobStatus> successors() {
    return switch (this) {
      case PENDING -> EnumSet.of(QUEUED, SUSPENDED, STOPPED, REJECTED, SKIPPED);
      case SUSPENDED -> EnumSet.of(QUEUED, STOPPED);
      case QUEUED -> EnumSet.of(RUNNING, SUSPENDED, STOPPED, REJECTED);
      case RUNNING ->
          EnumSet.of(STOPPING, SUCCEEDED, FAILED, PARTIALLY_FAILED, TIMED_OUT, STOPPED, QUEUED);
      case STOPPING -> EnumSet.of(STOPPED, SUCCEEDED, FAILED, PARTIALLY_FAILED, TIMED_OUT);
      case SUCCEEDED, FAILED, STOPPED, TIMED_OUT, PARTIALLY_FAILED, SKIPPED -> EnumSet.of(QUEUED);
      case REJECTED -> EnumSet.noneOf(JobStatus.class);
    };
  }

  public boolean canTransitionTo(JobStatus next) {
    return successors().contains(next);
  }

  /** Case-insensitive parse of a client-supplied status name. */
  public static JobStatus parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw DomainException.invalid(field, "must not be empty");
    }
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(
          field,
          "unknown status '" + text + "'; expected one of " + EnumSet.allOf(JobStatus.class));
    }
  }
}
