package io.jobplane.domain.schedule;

import java.time.Instant;
import java.util.List;

/**
 * What a schedule does at one moment: the scheduled times to start jobs for (oldest first), the
 * newest tick that fell due (run or dropped: the schedule has dealt with everything up to it, null
 * when none fell due) and when it fires next (null when never again).
 */
public record TickPlan(List<Instant> run, Instant latestDue, Instant nextRunTime) {

  public TickPlan {
    run = List.copyOf(run);
  }
}
