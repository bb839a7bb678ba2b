package io.jobplane.application.port.in;

import java.time.Instant;

/** What the server's schedule loop drives: every due schedule ticked once. */
public interface ScheduleTicksUseCase {

  /** How many schedules were ticked and how many jobs they started. */
  record TickResult(int schedules, int jobsStarted) {}

  TickResult tick(Instant now);
}
