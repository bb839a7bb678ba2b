package io.jobplane.application.service;

import io.jobplane.application.port.in.BacklogQueries;
import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.application.port.out.ScheduleRepository;
import io.jobplane.domain.QueueWait;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Reads the backlog through the queues overview's reader (unfinished jobs only, on V17's partial
 * index) and the schedules' due index ({@code schedules_due_idx}): neither reads job history.
 */
public final class BacklogService implements BacklogQueries {

  private final QueueOverviewReader queues;
  private final ScheduleRepository schedules;
  private final Clock clock;

  public BacklogService(QueueOverviewReader queues, ScheduleRepository schedules, Clock clock) {
    this.queues = Objects.requireNonNull(queues, "queues");
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Backlog backlog() {
    Instant now = clock.instant();
    return new Backlog(
        queues.read(null, now.minus(QueueWait.ACTIVE_WINDOW), now, MAX_QUEUES).stream()
            .map(
                q ->
                    new QueueBacklog(
                        q.project(), q.queue(), q.waiting().queued(), q.waiting().oldestQueuedAt()))
            .toList(),
        schedules.oldestDue(now).orElse(null),
        now);
  }
}
