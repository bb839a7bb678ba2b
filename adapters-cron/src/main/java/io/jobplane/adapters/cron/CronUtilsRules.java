package io.jobplane.adapters.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.jobplane.application.port.out.CronRules;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.schedule.CronRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link CronRules} on cron-utils. Five fields are read as Unix cron; six as Unix cron with a
 * leading seconds field (same ranges and day-of-week numbering, so {@code 0 30 2 * * 1-5} means
 * what {@code 30 2 * * 1-5} means, at second 0). Macros are rewritten to the five-field expression
 * they stand for, so they behave exactly like it.
 */
public final class CronUtilsRules implements CronRules {

  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");

  private static final String EXPECTED =
      "expected 5 fields (minute hour day-of-month month day-of-week), 6 with a leading seconds"
          + " field, or one of @yearly, @monthly, @weekly, @daily, @hourly";

  private final CronParser unix =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private final CronParser withSeconds = new CronParser(unixWithSeconds());

  /** Unix cron's fields and ranges after a seconds field 0-59. */
  private static CronDefinition unixWithSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .matchDayOfWeekAndDayOfMonth()
        .instance();
  }

  @Override
  public CronRule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw DomainException.invalid("cron", "is required");
    }
    String text = expression.strip();
    if (text.startsWith("@")) {
      String macro = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (macro == null) {
        throw DomainException.invalid("cron", "unknown macro '" + text + "': " + EXPECTED);
      }
      text = macro;
    }
    int fields = text.split("\\s+").length;
    CronParser parser =
        switch (fields) {
          case 5 -> unix;
          case 6 -> withSeconds;
          default ->
              throw DomainException.invalid(
                  "cron", "'" + expression.strip() + "' has " + fields + " fields: " + EXPECTED);
        };
    Cron cron;
    try {
      cron = parser.parse(text);
      cron.validate();
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(
          "cron", "'" + expression.strip() + "' is not a valid cron expression: " + e.getMessage());
    }
    return new ExecutionRule(ExecutionTime.forCron(cron));
  }

  /**
   * cron-utils' execution times, read on the wall clock. cron-utils on a zone with DST runs a time
   * that happens twice (fall back) twice and skips one that does not exist (spring forward); a
   * nightly job should run once a night, so the rule is evaluated on local date-times (a zone
   * without DST) and each local tick is placed in the zone here: a time that happens twice runs at
   * its first occurrence, a time that does not exist runs at the moment the clock jumps (as Vixie
   * cron does). That placement never goes backwards as local time advances, so the first local tick
   * after {@code after} that lands after it is the next one. cron-utils works to the second, so
   * sub-second parts are cut first.
   */
  private record ExecutionRule(ExecutionTime times) implements CronRule {

    private static final Duration LONGEST_OVERLAP = Duration.ofHours(6);

    @Override
    public Optional<ZonedDateTime> next(ZonedDateTime after) {
      ZoneId zone = after.getZone();
      // no local time before after's own maps after it: placement is monotonic and maps
      // after's local time to after or earlier (the first occurrence)
      ZonedDateTime wall = wall(after.toLocalDateTime());
      while (true) {
        Optional<ZonedDateTime> tick = times.nextExecution(wall);
        if (tick.isEmpty()) {
          return Optional.empty();
        }
        ZonedDateTime placed = place(tick.get().toLocalDateTime(), zone);
        if (placed.isAfter(after)) {
          return Optional.of(placed);
        }
        wall = tick.get();
      }
    }

    @Override
    public Optional<ZonedDateTime> previous(ZonedDateTime before) {
      ZoneId zone = before.getZone();
      Instant instant = before.toInstant();
      // inside the second occurrence of a repeated hour, later local times map before 'before'
      LocalDateTime upper =
          LocalDateTime.ofInstant(
              instant, zone.getRules().getOffset(instant.minus(LONGEST_OVERLAP)));
      if (upper.isBefore(before.toLocalDateTime())) {
        upper = before.toLocalDateTime();
      }
      ZonedDateTime wall = wall(upper).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      while (true) {
        Optional<ZonedDateTime> tick = times.lastExecution(wall);
        if (tick.isEmpty()) {
          return Optional.empty();
        }
        ZonedDateTime placed = place(tick.get().toLocalDateTime(), zone);
        if (placed.isBefore(before)) {
          return Optional.of(placed);
        }
        wall = tick.get();
      }
    }

    /** A local date-time on a clock without DST, where cron-utils counts correctly. */
    private static ZonedDateTime wall(LocalDateTime local) {
      return local.truncatedTo(ChronoUnit.SECONDS).atZone(ZoneOffset.UTC);
    }

    /** First occurrence of a repeated local time; a skipped one at the jump. */
    private static ZonedDateTime place(LocalDateTime local, ZoneId zone) {
      ZoneRules rules = zone.getRules();
      if (rules.getValidOffsets(local).isEmpty()) {
        return rules.getTransition(local).getInstant().atZone(zone);
      }
      return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap();
    }
  }
}
