package io.jobplane.domain.schedule;

import java.time.Instant;
import java.util.List;

/**
 * What a schedule does at one moment: the scheduled times to start jobs for (oldest first), the
 * newest tick that fell due (run or dropped: the schedule has dealt with everything up to it, null
 * when none fell due), when it fires next (null when never again) and how many due ticks it drops
 * (past the starting deadline or beyond the catch-up; at least that many after a long backlog).
 */
public record TickPlan(List<Instant> run, Instant latestDue, Instant nextRunTime, int missed) {

  public TickPlan {
    run = List.copyOf(run);
    if (missed < 0) {
      throw new IllegalArgumentException("missed must not be negative");
    }
  }
}
