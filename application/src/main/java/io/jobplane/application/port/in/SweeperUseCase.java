package io.jobplane.application.port.in;

import java.time.Instant;

/** What time alone decides: expired leases, job timeouts, overdue graceful stops. */
public interface SweeperUseCase {

  /** Totals of one sweep. */
  record SweepResult(int jobs, int expiredLeases, int timedOutTasks, int forcedStops) {}

  SweepResult sweep(Instant now);
}
