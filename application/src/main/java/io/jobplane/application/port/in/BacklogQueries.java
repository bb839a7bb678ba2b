package io.jobplane.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What waits longer than it should, for the gauges operators alert on: the oldest queued job of
 * each queue and the most overdue schedule. Read on demand (a scrape), never on a timer, so an idle
 * server asks the store nothing. No caller: the one reader, {@code /metrics}, checks its own.
 */
public interface BacklogQueries {

  /** The most queues one answer lists, as the queues overview. */
  int MAX_QUEUES = QueueOverviewUseCase.MAX_QUEUES;

  /**
   * @param oldestQueuedAt when its longest-waiting QUEUED job was queued; null when none is (the
   *     queue has unfinished jobs, but none waits)
   */
  record QueueBacklog(String project, String queue, long queued, Instant oldestQueuedAt) {
    public QueueBacklog {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(queue, "queue");
    }
  }

  /**
   * @param queues queues that have unfinished jobs, by project and queue, at most {@link
   *     #MAX_QUEUES}
   * @param oldestDueSchedule the earliest next run time of an unsuspended schedule that is due and
   *     not ticked yet; null when every schedule is on time
   * @param asOf when it was read
   */
  record Backlog(List<QueueBacklog> queues, Instant oldestDueSchedule, Instant asOf) {
    public Backlog {
      queues = List.copyOf(queues);
      Objects.requireNonNull(asOf, "asOf");
    }
  }

  Backlog backlog();
}
