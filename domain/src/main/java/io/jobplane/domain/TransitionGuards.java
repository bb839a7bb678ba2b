package io.jobplane.domain;

/**
 * The checks every transition of a {@link Job} makes before it changes anything, and the one
 * wording of the refusal, so a client reads the same sentence whichever transition refused it.
 */
final class TransitionGuards {

  private TransitionGuards() {}

  static void requireActive(JobSnapshot s, String action, JobStatus target) {
    if (!s.status().isActive()) {
      throw illegal(s, action, target);
    }
  }

  static void requireTransition(JobSnapshot s, JobStatus to, String action) {
    if (!s.status().canTransitionTo(to)) {
      throw illegal(s, action, to);
    }
  }

  static void requireStatus(JobSnapshot s, JobStatus required, String action, JobStatus to) {
    if (s.status() != required) {
      throw illegal(s, action, to);
    }
  }

  static DomainException illegal(JobSnapshot s, String action, JobStatus to) {
    return refused(
        "cannot "
            + action
            + " job "
            + s.id()
            + ": it is "
            + s.status()
            + " and "
            + s.status()
            + " -> "
            + to
            + " is not an allowed transition");
  }

  /** A refusal whose reason is not a single disallowed edge of the state machine. */
  static DomainException refused(String message) {
    return new DomainException(DomainException.Reason.ILLEGAL_TRANSITION, message);
  }
}
