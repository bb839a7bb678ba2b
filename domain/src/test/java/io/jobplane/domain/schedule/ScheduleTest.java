package io.jobplane.domain.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ScheduleTest {

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.300Z");
  private static final CronRule EVERY_MINUTE = TestingCronRules.everySeconds(60);

  static JobDefinition template() {
    return JobDefinition.builder()
        .name("nightly import")
        .type("import")
        .project("analytics")
        .maxAttempts(3)
        .priority(0)
        .queue("default")
        .runtime(JobRuntime.WORKER)
        .parallelism(1)
        .build();
  }

  static ScheduleSpec.Builder spec() {
    return ScheduleSpec.builder().name("nightly").cron("* * * * *").job(template());
  }

  @Test
  void theBuilderHoldsTheDefaults() {
    ScheduleSpec s = spec().build();

    assertThat(s.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(s.concurrencyPolicy()).isEqualTo(ConcurrencyPolicy.ALLOW);
    assertThat(s.maxCatchUp()).isEqualTo(1);
    assertThat(s.startingDeadlineSeconds()).isNull();
    assertThat(s.suspend()).isFalse();
    assertThat(s.successfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(s.failedJobsHistoryLimit()).isEqualTo(1);
    assertThat(s.project()).isEqualTo("analytics");
  }

  @Test
  void outOfRangeSettingsNameTheirField() {
    assertThatThrownBy(() -> spec().maxCatchUp(101).build())
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("max_catch_up"));
    assertThatThrownBy(() -> spec().startingDeadlineSeconds(0).build())
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("starting_deadline_seconds"));
    assertThatThrownBy(() -> spec().failedJobsHistoryLimit(-1).build())
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("failed_jobs_history_limit"));
    assertThatThrownBy(() -> spec().cron(" ").build())
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("cron"));
  }

  @Test
  void aNewScheduleRunsFromItsCreationOn() {
    Schedule s = Schedule.create(ScheduleId.random(), spec().build(), "alice", T0, EVERY_MINUTE);

    assertThat(s.nextRunTime()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z"));
    assertThat(s.plan(T0.plusSeconds(30), EVERY_MINUTE).run()).isEmpty();
    assertThat(s.plan(T0.plusSeconds(60), EVERY_MINUTE).run())
        .containsExactly(Instant.parse("2026-11-23T10:01:00Z"));
  }

  @Test
  void aSuspendedSchedulePlansNothingButKeepsItsNextRunTime() {
    Schedule s =
        Schedule.create(
            ScheduleId.random(), spec().suspend(true).build(), "alice", T0, EVERY_MINUTE);

    TickPlan plan = s.plan(T0.plusSeconds(600), EVERY_MINUTE);

    assertThat(plan.run()).isEmpty();
    assertThat(plan.nextRunTime()).isEqualTo(Instant.parse("2026-11-23T10:11:00Z"));
  }

  @Test
  void resumingDoesNotCatchUpTicksMissedWhileSuspended() {
    Schedule suspended =
        Schedule.create(
            ScheduleId.random(), spec().suspend(true).build(), "alice", T0, EVERY_MINUTE);
    Instant resumedAt = T0.plusSeconds(600);

    Schedule resumed = suspended.replace(spec().build(), resumedAt, EVERY_MINUTE);

    assertThat(resumed.plan(resumedAt.plusSeconds(1), EVERY_MINUTE).run()).isEmpty();
    assertThat(resumed.plan(resumedAt.plusSeconds(60), EVERY_MINUTE).run()).hasSize(1);
  }

  @Test
  void aTickRemembersWhatItDealtWithAndAManualRunLeavesTheCronProgressAlone() {
    Schedule s = Schedule.create(ScheduleId.random(), spec().build(), "alice", T0, EVERY_MINUTE);
    JobId job = JobId.random();
    TickPlan plan = s.plan(T0.plusSeconds(60), EVERY_MINUTE);

    Schedule ticked = s.ticked(plan, job);
    Schedule triggered = ticked.triggered(JobId.random());

    assertThat(ticked.lastScheduledTime()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z"));
    assertThat(ticked.nextRunTime()).isEqualTo(Instant.parse("2026-11-23T10:02:00Z"));
    assertThat(ticked.lastJob()).isEqualTo(job);
    assertThat(triggered.lastScheduledTime()).isEqualTo(ticked.lastScheduledTime());
    assertThat(triggered.lastJob()).isNotEqualTo(job);
    assertThat(ticked.plan(T0.plusSeconds(61), EVERY_MINUTE).run()).isEmpty();
  }

  @Test
  void aResourcesScheduleKeepsItsOwnerThroughEveryChangeAndRefusesTheApisWrites() {
    ScheduleResource owner = new ScheduleResource("team-a", "nightly");
    Schedule s = Schedule.createFor(owner, ScheduleId.random(), spec().build(), T0, EVERY_MINUTE);
    Schedule changed =
        s.replace(spec().suspend(true).build(), T0.plusSeconds(5), EVERY_MINUTE)
            .ticked(s.plan(T0.plusSeconds(60), EVERY_MINUTE), JobId.random())
            .triggered(JobId.random())
            .withVersion(7);

    assertThat(changed.resource()).isEqualTo(owner);
    assertThat(s.createdBy()).isEqualTo("kubernetes:team-a");
    assertThatThrownBy(() -> changed.requireApiManaged("delete"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.CONFLICT);
              assertThat(e.getMessage())
                  .contains("managed by JobSchedule resource team-a/nightly: delete it through");
            });
    Schedule.create(ScheduleId.random(), spec().build(), "alice", T0, EVERY_MINUTE)
        .requireApiManaged("delete"); // an API schedule: no refusal
  }

  @Test
  void itsJobsCarryTheScheduleAndTheScheduledTimeAsLabels() {
    Schedule s = Schedule.create(ScheduleId.random(), spec().build(), "alice", T0, EVERY_MINUTE);

    JobDefinition job = s.jobFor(Instant.parse("2026-11-23T10:01:00Z"));

    assertThat(job.labels().values())
        .containsEntry("jobplane.io/schedule", s.id().toString())
        .containsEntry("jobplane.io/scheduled-time", "1795428060");
    assertThat(job.project()).isEqualTo("analytics");
  }

  @Test
  void aTemplateMayNotSetTheSchedulesOwnLabels() {
    JobDefinition t = template();
    JobDefinition labelled =
        JobDefinition.builder()
            .name(t.name())
            .type(t.type())
            .project(t.project())
            .labels(new io.jobplane.domain.Labels(java.util.Map.of("jobplane.io/schedule", "x")))
            .maxAttempts(3)
            .priority(0)
            .queue("default")
            .runtime(JobRuntime.WORKER)
            .parallelism(1)
            .build();

    assertThatThrownBy(() -> spec().job(labelled).build())
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("job.labels"));
  }
}
