package io.jobplane.application.port.in;

import java.time.Instant;

/**
 * What time alone decides: expired leases, job timeouts, overdue graceful stops, workers not seen
 * for too long.
 */
public interface SweeperUseCase {

  /** Totals of one sweep. */
  record SweepResult(
      int jobs,
      int expiredLeases,
      int timedOutTasks,
      int forcedStops,
      int forgottenWorkers,
      int lostAgents) {

    /** A sweep that forgot no worker and found no lost agent. */
    public SweepResult(int jobs, int expiredLeases, int timedOutTasks, int forcedStops) {
      this(jobs, expiredLeases, timedOutTasks, forcedStops, 0, 0);
    }
  }

  SweepResult sweep(Instant now);
}
