package io.jobplane.application.port.in;

import java.time.Instant;

/** What the server's schedule loop drives: every due schedule ticked once. */
public interface ScheduleTicksUseCase {

  /**
   * What one round did: schedules ticked, and of their due ticks those that started a job, those
   * the concurrency policy skipped (FORBID) and those dropped as missed (past the starting deadline
   * or beyond the catch-up). Only ticks that committed are counted.
   */
  record TickResult(int schedules, int jobsStarted, int skipped, int missed) {}

  TickResult tick(Instant now);
}
