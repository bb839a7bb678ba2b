package io.jobplane.application.service;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.BacklogQueries.Backlog;
import io.jobplane.application.port.in.BacklogQueries.QueueBacklog;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryQueueOverviewReader;
import io.jobplane.application.testing.InMemoryScheduleRepository;
import io.jobplane.domain.QueueCounts;
import io.jobplane.domain.QueueCounts.WaitingJobs;
import io.jobplane.domain.schedule.CronRule;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BacklogServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-29T08:00:00Z");

  private final InMemoryQueueOverviewReader queues = new InMemoryQueueOverviewReader();
  private final InMemoryScheduleRepository schedules =
      new InMemoryScheduleRepository(new InMemoryJobRepository());
  private final BacklogService service =
      new BacklogService(queues, schedules, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void everyProjectsQueuesAreReadWithTheirOldestQueuedJob() {
    Instant queuedAt = NOW.minusSeconds(90);
    queues.add(queue("etl", "default", new WaitingJobs(3, 1, 0, queuedAt)));
    queues.add(queue("ml", "gpu", new WaitingJobs(0, 0, 2, null)));

    Backlog backlog = service.backlog();

    assertThat(queues.askedFor).containsExactly(Set.of("*"));
    assertThat(backlog.queues())
        .containsExactly(
            new QueueBacklog("etl", "default", 3, queuedAt),
            new QueueBacklog("ml", "gpu", 0, null));
    assertThat(backlog.asOf()).isEqualTo(NOW);
  }

  @Test
  void theScheduleLagIsTheEarliestNextRunTimeThatHasPassed() {
    schedules.insert(scheduleDueAt(NOW.minusSeconds(120), false));
    schedules.insert(scheduleDueAt(NOW.minusSeconds(30), false));
    schedules.insert(scheduleDueAt(NOW.minusSeconds(600), true)); // suspended: not late
    schedules.insert(scheduleDueAt(NOW.plusSeconds(30), false)); // not due yet

    assertThat(service.backlog().oldestDueSchedule()).isEqualTo(NOW.minusSeconds(120));
  }

  @Test
  void withNothingDueThereIsNoLag() {
    schedules.insert(scheduleDueAt(NOW.plusSeconds(30), false));

    assertThat(service.backlog().oldestDueSchedule()).isNull();
    assertThat(service.backlog().queues()).isEmpty();
  }

  private static QueueCounts queue(String project, String queue, WaitingJobs waiting) {
    return new QueueCounts(project, queue, waiting, 0, 0);
  }

  private static int names;

  /** A schedule created a minute before {@code next} by a rule that fires once a minute. */
  private static Schedule scheduleDueAt(Instant next, boolean suspended) {
    CronRule everyMinute =
        new CronRule() {
          @Override
          public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return Optional.of(after.plus(Duration.ofMinutes(1)));
          }

          @Override
          public Optional<ZonedDateTime> previous(ZonedDateTime before) {
            return Optional.of(before.minus(Duration.ofMinutes(1)));
          }
        };
    ScheduleSpec spec =
        ScheduleSpec.builder()
            .name("s" + ++names)
            .cron("* * * * *")
            .job(aJob().inProject("etl").definition())
            .suspend(suspended)
            .build();
    return Schedule.create(
        ScheduleId.random(), spec, "alice", next.minus(Duration.ofMinutes(1)), everyMinute);
  }
}
