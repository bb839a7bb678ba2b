package io.jobplane.domain.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickRuleTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final CronRule EVERY_MINUTE = TestingCronRules.everySeconds(60);
  private static final CronRule AT_0230 = TestingCronRules.dailyAt(LocalTime.of(2, 30));

  private static Instant t(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void aTickThatFellDueSinceTheLastRunsOnceAndTheNextOneIsAfterNow() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:01:00.250Z"), EVERY_MINUTE, UTC, 1, null);

    assertThat(plan.run()).containsExactly(t("2026-11-23T10:01:00Z"));
    assertThat(plan.latestDue()).isEqualTo(t("2026-11-23T10:01:00Z"));
    assertThat(plan.nextRunTime()).isEqualTo(t("2026-11-23T10:02:00Z"));
    assertThat(plan.missed()).isZero();
  }

  @Test
  void aTickExactlyAtNowIsDue() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:01:00Z"), EVERY_MINUTE, UTC, 1, null);

    assertThat(plan.run()).containsExactly(t("2026-11-23T10:01:00Z"));
    assertThat(plan.nextRunTime()).isEqualTo(t("2026-11-23T10:02:00Z"));
  }

  @Test
  void nothingIsDueBeforeTheNextTick() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:00:59.900Z"), EVERY_MINUTE, UTC, 1, null);

    assertThat(plan.run()).isEmpty();
    assertThat(plan.latestDue()).isNull();
    assertThat(plan.nextRunTime()).isEqualTo(t("2026-11-23T10:01:00Z"));
  }

  @Test
  void afterDowntimeOnlyTheMostRecentMaxCatchUpTicksRunOldestFirst() {
    Instant since = t("2026-11-23T10:00:00Z");
    Instant now = t("2026-11-23T10:10:30Z");

    TickPlan one = TickRule.plan(since, now, EVERY_MINUTE, UTC, 1, null);
    assertThat(one.run()).containsExactly(t("2026-11-23T10:10:00Z"));
    assertThat(one.missed()).as("10:09 seen, older ones not walked").isEqualTo(1);
    TickPlan three = TickRule.plan(since, now, EVERY_MINUTE, UTC, 3, null);
    assertThat(three.run())
        .containsExactly(
            t("2026-11-23T10:08:00Z"), t("2026-11-23T10:09:00Z"), t("2026-11-23T10:10:00Z"));
    assertThat(three.latestDue()).isEqualTo(t("2026-11-23T10:10:00Z"));
    assertThat(three.missed()).isEqualTo(1);
  }

  @Test
  void catchUpNeverReachesBackToTicksAlreadyDealtWith() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:08:00Z"), t("2026-11-23T10:10:30Z"), EVERY_MINUTE, UTC, 100, null);

    assertThat(plan.run()).containsExactly(t("2026-11-23T10:09:00Z"), t("2026-11-23T10:10:00Z"));
    assertThat(plan.missed()).isZero();
  }

  @Test
  void ticksOlderThanTheStartingDeadlineAreDropped() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:10:30Z"), EVERY_MINUTE, UTC, 3, 90);

    // 10:08 is 150 s late, 10:09 exactly 90 s: the deadline itself is still in time
    assertThat(plan.run()).containsExactly(t("2026-11-23T10:09:00Z"), t("2026-11-23T10:10:00Z"));
    assertThat(plan.latestDue()).isEqualTo(t("2026-11-23T10:10:00Z"));
    assertThat(plan.missed()).as("10:08 past the deadline, 10:07 beyond the catch-up").isEqualTo(2);
  }

  @Test
  void aTickPastItsDeadlineIsDealtWithWithoutRunning() {
    TickPlan plan =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:01:45Z"), EVERY_MINUTE, UTC, 1, 30);

    assertThat(plan.run()).isEmpty();
    assertThat(plan.missed()).isEqualTo(1);
    assertThat(plan.latestDue()).isEqualTo(t("2026-11-23T10:01:00Z"));
    assertThat(plan.nextRunTime()).isEqualTo(t("2026-11-23T10:02:00Z"));
  }

  @Test
  void withoutCatchUpASingleDueTickRunsButABacklogIsDropped() {
    assertThat(
            TickRule.plan(
                    t("2026-11-23T10:00:00Z"),
                    t("2026-11-23T10:01:01Z"),
                    EVERY_MINUTE,
                    UTC,
                    0,
                    null)
                .run())
        .containsExactly(t("2026-11-23T10:01:00Z"));
    TickPlan backlog =
        TickRule.plan(
            t("2026-11-23T10:00:00Z"), t("2026-11-23T10:05:01Z"), EVERY_MINUTE, UTC, 0, null);
    assertThat(backlog.run()).isEmpty();
    assertThat(backlog.missed()).isEqualTo(2);
    assertThat(backlog.latestDue()).isEqualTo(t("2026-11-23T10:05:00Z"));
  }

  @Test
  void aLongDowntimeOfASecondsScheduleIsPlannedWithoutVisitingEveryMissedSecond() {
    int[] steps = {0};
    CronRule counting =
        new CronRule() {
          final CronRule everySecond = TestingCronRules.everySeconds(1);

          @Override
          public java.util.Optional<java.time.ZonedDateTime> next(java.time.ZonedDateTime after) {
            return everySecond.next(after);
          }

          @Override
          public java.util.Optional<java.time.ZonedDateTime> previous(
              java.time.ZonedDateTime before) {
            steps[0]++;
            return everySecond.previous(before);
          }
        };

    TickPlan plan =
        TickRule.plan(
            t("2026-11-01T00:00:00Z"), t("2026-11-23T10:00:00.5Z"), counting, UTC, 2, null);

    assertThat(plan.run()).containsExactly(t("2026-11-23T09:59:59Z"), t("2026-11-23T10:00:00Z"));
    assertThat(steps[0]).isLessThanOrEqualTo(3);
  }

  @Test
  void onTheSpringForwardDayA0230ScheduleFiresOnceAtTheJump() {
    // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist
    List<Instant> fired =
        runEveryMinute(
            AT_0230, BERLIN, t("2026-03-28T22:00:00Z"), t("2026-03-29T06:00:00Z"), Duration.ZERO);

    assertThat(fired).containsExactly(t("2026-03-29T01:00:00Z")); // 03:00 CEST
  }

  @Test
  void onTheFallBackDayA0230ScheduleFiresOnceNotTwice() {
    // 2026-10-25 in Berlin: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice
    List<Instant> fired =
        runEveryMinute(
            AT_0230, BERLIN, t("2026-10-24T22:00:00Z"), t("2026-10-25T06:00:00Z"), Duration.ZERO);

    assertThat(fired).containsExactly(t("2026-10-25T00:30:00Z")); // the first 02:30, CEST
  }

  @Test
  void theNextRunAcrossADstChangeIsTheNextLocalDaysWallClockTime() {
    TickPlan plan =
        TickRule.plan(
            t("2026-10-24T12:00:00Z"), t("2026-10-25T00:45:00Z"), AT_0230, BERLIN, 1, null);

    assertThat(plan.run()).containsExactly(t("2026-10-25T00:30:00Z"));
    // 2026-10-26 02:30 CET is 01:30 UTC, an hour later in UTC than the day before
    assertThat(plan.nextRunTime()).isEqualTo(t("2026-10-26T01:30:00Z"));
  }

  @Test
  void aDowntimeAcrossTheFallBackNightCatchesUpTheOneTickThatHappened() {
    TickPlan plan =
        TickRule.plan(
            t("2026-10-24T12:00:00Z"), t("2026-10-25T05:00:00Z"), AT_0230, BERLIN, 5, null);

    assertThat(plan.run()).containsExactly(t("2026-10-25T00:30:00Z"));
  }

  /** Drives the rule as the server loop does: a plan each step, its latest due tick remembered. */
  private static List<Instant> runEveryMinute(
      CronRule rule, ZoneId zone, Instant from, Instant to, Duration lag) {
    List<Instant> fired = new ArrayList<>();
    Instant since = from;
    for (Instant now = from; !now.isAfter(to); now = now.plusSeconds(60)) {
      TickPlan plan = TickRule.plan(since, now.plus(lag), rule, zone, 1, null);
      fired.addAll(plan.run());
      if (plan.latestDue() != null) {
        since = plan.latestDue();
      }
    }
    return fired;
  }
}
