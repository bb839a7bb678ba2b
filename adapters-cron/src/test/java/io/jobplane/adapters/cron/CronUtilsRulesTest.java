package io.jobplane.adapters.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.schedule.CronRule;
import io.jobplane.domain.schedule.TickPlan;
import io.jobplane.domain.schedule.TickRule;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronUtilsRulesTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private final CronUtilsRules rules = new CronUtilsRules();

  private static ZonedDateTime utc(String iso) {
    return Instant.parse(iso).atZone(ZoneOffset.UTC);
  }

  @Test
  void fiveFieldsAreUnixCron() {
    CronRule rule = rules.parse("30 2 * * 1-5");

    // 2026-11-27 is a Friday: the next weekday 02:30 after it is Monday's
    assertThat(rule.next(utc("2026-11-27T03:00:00Z")))
        .contains(utc("2026-11-30T02:30:00Z").withZoneSameInstant(ZoneOffset.UTC));
  }

  @Test
  void aLeadingSixthFieldIsSeconds() {
    CronRule rule = rules.parse("*/1 * * * * *");

    assertThat(rule.next(utc("2026-11-23T10:00:00.400Z"))).contains(utc("2026-11-23T10:00:01Z"));
    assertThat(rule.previous(utc("2026-11-23T10:00:00.400Z")))
        .contains(utc("2026-11-23T10:00:00Z"));
    assertThat(rule.previous(utc("2026-11-23T10:00:00Z"))).contains(utc("2026-11-23T09:59:59Z"));
  }

  @Test
  void sundayIsZeroOrSevenInBothForms() {
    ZonedDateTime saturday = utc("2026-11-28T12:00:00Z");

    assertThat(rules.parse("0 0 * * 0").next(saturday)).contains(utc("2026-11-29T00:00:00Z"));
    assertThat(rules.parse("0 0 0 * * 7").next(saturday)).contains(utc("2026-11-29T00:00:00Z"));
  }

  @Test
  void macrosMeanTheirFiveFieldExpressions() {
    ZonedDateTime t = utc("2026-11-23T10:15:00Z");

    assertThat(rules.parse("@hourly").next(t)).contains(utc("2026-11-23T11:00:00Z"));
    assertThat(rules.parse("@daily").next(t)).contains(utc("2026-11-24T00:00:00Z"));
    assertThat(rules.parse("@weekly").next(t)).contains(utc("2026-11-29T00:00:00Z"));
    assertThat(rules.parse("@monthly").next(t)).contains(utc("2026-12-01T00:00:00Z"));
    assertThat(rules.parse("@yearly").next(t)).contains(utc("2027-01-01T00:00:00Z"));
  }

  @Test
  void invalidExpressionsAreRefusedNamingTheCronField() {
    for (String bad : List.of("61 * * * *", "* * *", "@often", "a b c d e", "* * * * * * *")) {
      assertThatThrownBy(() -> rules.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
                assertThat(e.errors().get(0).field()).isEqualTo("cron");
                assertThat(e.errors().get(0).message()).isNotBlank();
              });
    }
  }

  @Test
  void onBerlinsSpringForwardDayA0230ScheduleFiresOnceAndTheDayAfterAtItsUsualTime() {
    List<Instant> fired =
        fired(rules.parse("30 2 * * *"), "2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z");

    // 02:30 does not exist on 2026-03-29: it runs when the clock jumps from 02:00 to 03:00
    assertThat(fired)
        .containsExactly(
            Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
            Instant.parse("2026-03-29T01:00:00Z"), // 03:00 CEST, the jump
            Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
  }

  @Test
  void onBerlinsFallBackDayA0230ScheduleFiresOnce() {
    List<Instant> fired =
        fired(rules.parse("30 2 * * *"), "2026-10-23T12:00:00Z", "2026-10-26T12:00:00Z");

    assertThat(fired)
        .containsExactly(
            Instant.parse("2026-10-24T00:30:00Z"), // 02:30 CEST
            Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST, the first of two 02:30s
            Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
  }

  @Test
  void anHourlyScheduleRunsOnceAtTheJumpAndNotTwiceInTheRepeatedHour() {
    List<Instant> spring =
        fired(rules.parse("0 * * * *"), "2026-03-29T00:00:00Z", "2026-03-29T02:30:00Z");
    List<Instant> autumn =
        fired(rules.parse("0 * * * *"), "2026-10-24T23:30:00Z", "2026-10-25T02:30:00Z");

    // 02:00 local does not exist; it and 03:00 both land on the jump, which runs once
    assertThat(spring)
        .containsExactly(
            Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"));
    // 02:00 local happens twice: at 00:00Z (CEST) only, then 03:00 CET
    assertThat(autumn)
        .containsExactly(
            Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"));
  }

  @Test
  void previousInsideTheRepeatedHourFindsTheFirstOccurrence() {
    CronRule rule = rules.parse("30 2 * * *");
    // 02:45 CET, the second 02:45 of the night
    ZonedDateTime secondOccurrence = Instant.parse("2026-10-25T01:45:00Z").atZone(BERLIN);

    assertThat(rule.previous(secondOccurrence).map(ZonedDateTime::toInstant))
        .contains(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(rule.next(secondOccurrence).map(ZonedDateTime::toInstant))
        .contains(Instant.parse("2026-10-26T01:30:00Z"));
  }

  /** The server loop on a fixed clock stepping a minute: what the schedule started, in order. */
  private static List<Instant> fired(CronRule rule, String from, String to) {
    List<Instant> fired = new ArrayList<>();
    Instant since = Instant.parse(from);
    for (Instant now = since; !now.isAfter(Instant.parse(to)); now = now.plusSeconds(60)) {
      TickPlan plan = TickRule.plan(since, now, rule, BERLIN, 1, null);
      fired.addAll(plan.run());
      if (plan.latestDue() != null) {
        since = plan.latestDue();
      }
    }
    return fired;
  }
}
