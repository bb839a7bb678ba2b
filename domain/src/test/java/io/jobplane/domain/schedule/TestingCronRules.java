package io.jobplane.domain.schedule;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Hand-written cron rules for the domain's tests (the real parser lives in adapters-cron). */
final class TestingCronRules {

  private TestingCronRules() {}

  /**
   * Fires every {@code seconds} seconds of the minute's epoch, like {@code *}/n in a seconds field.
   */
  static CronRule everySeconds(int seconds) {
    return new CronRule() {
      @Override
      public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZonedDateTime t = after.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (t.toEpochSecond() % seconds != 0) {
          t = t.plusSeconds(1);
        }
        return Optional.of(t);
      }

      @Override
      public Optional<ZonedDateTime> previous(ZonedDateTime before) {
        ZonedDateTime t = before.truncatedTo(ChronoUnit.SECONDS);
        if (!t.isBefore(before)) {
          t = t.minusSeconds(1);
        }
        while (t.toEpochSecond() % seconds != 0) {
          t = t.minusSeconds(1);
        }
        return Optional.of(t);
      }
    };
  }

  /**
   * Fires daily at a wall-clock time of the zone it is given, placed as the cron adapter places
   * ticks: a time that does not exist (spring forward) fires at the jump, a time that exists twice
   * (fall back) at its first occurrence only.
   */
  static CronRule dailyAt(LocalTime time) {
    return new CronRule() {
      @Override
      public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZonedDateTime t = at(after.toLocalDate(), time, after.getZone());
        while (!t.isAfter(after)) {
          t = at(t.toLocalDate().plusDays(1), time, after.getZone());
        }
        return Optional.of(t);
      }

      @Override
      public Optional<ZonedDateTime> previous(ZonedDateTime before) {
        ZonedDateTime t = at(before.toLocalDate(), time, before.getZone());
        while (!t.isBefore(before)) {
          t = at(t.toLocalDate().minusDays(1), time, before.getZone());
        }
        return Optional.of(t);
      }
    };
  }

  private static ZonedDateTime at(LocalDate date, LocalTime time, ZoneId zone) {
    LocalDateTime local = LocalDateTime.of(date, time);
    if (zone.getRules().getValidOffsets(local).isEmpty()) {
      return zone.getRules().getTransition(local).getInstant().atZone(zone);
    }
    return ZonedDateTime.ofLocal(local, zone, null);
  }
}
