package io.jobplane.adapters.k8s.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the platform team decides for the operator.
 *
 * @param policy what pod templates may ask for
 * @param apiUrl the API URL the pods report to; null hands the pods no URL and no credential
 * @param stuckGrace how long a pod may wait on an image pull or a config error before its run fails
 *     as an infrastructure failure
 * @param logTailLines lines of each pod's log kept in the store when its run ends
 * @param clock the clock reconciles read
 * @param routineEvents whether the happy path's Normal Events (run created, phase reached) are
 *     recorded; each is an API request per job, and the status and the store show the same
 */
public record OperatorSettings(
    PodPolicy policy,
    String apiUrl,
    Duration stuckGrace,
    int logTailLines,
    Clock clock,
    boolean routineEvents) {

  public OperatorSettings {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(stuckGrace, "stuckGrace");
    Objects.requireNonNull(clock, "clock");
    if (logTailLines < 0 || logTailLines > 1000) {
      throw new IllegalArgumentException("logTailLines must be between 0 and 1000");
    }
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        PodPolicy.defaults(), null, Duration.ofMinutes(5), 100, Clock.systemUTC(), false);
  }

  public OperatorSettings withClock(Clock newClock) {
    return new OperatorSettings(policy, apiUrl, stuckGrace, logTailLines, newClock, routineEvents);
  }

  public OperatorSettings withApiUrl(String url) {
    return new OperatorSettings(policy, url, stuckGrace, logTailLines, clock, routineEvents);
  }

  public OperatorSettings withPolicy(PodPolicy newPolicy) {
    return new OperatorSettings(newPolicy, apiUrl, stuckGrace, logTailLines, clock, routineEvents);
  }

  /** With the happy path's Normal events (run created, phase reached) recorded or not. */
  public OperatorSettings withRoutineEvents(boolean record) {
    return new OperatorSettings(policy, apiUrl, stuckGrace, logTailLines, clock, record);
  }
}
