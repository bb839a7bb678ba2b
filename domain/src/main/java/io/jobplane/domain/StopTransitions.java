package io.jobplane.domain;

import static io.jobplane.domain.TransitionGuards.refused;
import static io.jobplane.domain.TransitionGuards.requireStatus;
import static io.jobplane.domain.TransitionGuards.requireTransition;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A user's stop and the runtime's confirmation. A job that holds no worker stops at once; a running
 * job moves to STOPPING and its runtime finishes the stop, unless the mode is FORCE, which stops it
 * in the store without waiting.
 */
final class StopTransitions {

  /** The longest graceful stop a user may ask for: one day. */
  static final int MAX_TIMEOUT_SECONDS = 86_400;

  private StopTransitions() {}

  static Transition requestStop(JobSnapshot s, StopMode mode, Integer timeoutSeconds, Instant now) {
    Objects.requireNonNull(mode, "mode");
    if (timeoutSeconds != null && (timeoutSeconds < 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
      throw DomainException.invalid(
          "timeout_seconds", "must be between 0 and " + MAX_TIMEOUT_SECONDS);
    }
    JobStatus from = s.status();
    boolean stopsNow = !from.isActive() || mode == StopMode.FORCE;
    if (from == JobStatus.STOPPING && mode != StopMode.FORCE) {
      throw refused("job " + s.id() + " is already stopping; use mode 'force' to stop it at once");
    }
    JobStatus to = stopsNow ? JobStatus.STOPPED : JobStatus.STOPPING;
    requireTransition(s, to, "stop");
    JobSnapshot next =
        Transition.moved(s, to, now)
            .finishedAt(stopsNow ? now : null)
            .error(null)
            .desiredState(DesiredState.STOPPED)
            .stopMode(mode)
            .stopTimeoutSeconds(timeoutSeconds)
            .build();
    String wording = mode.name().toLowerCase(Locale.ROOT);
    if (stopsNow) {
      return Transition.to(next, EventType.STOPPED, "job stopped (" + wording + ")");
    }
    return Transition.to(
        next,
        EventType.STOP_REQUESTED,
        wording
            + " stop requested"
            + (timeoutSeconds == null ? "" : ", timeout " + timeoutSeconds + " s"));
  }

  /** The runtime confirms that a stopping job has stopped. */
  static Transition confirmStopped(JobSnapshot s, Instant now) {
    requireStatus(s, JobStatus.STOPPING, "confirm the stop of", JobStatus.STOPPED);
    return EndTransitions.finish(s, JobStatus.STOPPED, EventType.STOPPED, now, "job stopped", null);
  }
}
