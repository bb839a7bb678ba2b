package io.jobplane.domain.schedule;

import java.time.LocalTime;
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
   * Fires daily at a wall-clock time of the zone it is given, as a cron library does: a time that
   * does not exist (spring forward) moves forward by the gap, a time that exists twice (fall back)
   * fires at its first occurrence only.
   */
  static CronRule dailyAt(LocalTime time) {
    return new CronRule() {
      @Override
      public Optional<ZonedDateTime> next(ZonedDateTime after) {
        ZonedDateTime t = ZonedDateTime.of(after.toLocalDate(), time, after.getZone());
        while (!t.isAfter(after)) {
          t = ZonedDateTime.of(t.toLocalDate().plusDays(1), time, after.getZone());
        }
        return Optional.of(t);
      }

      @Override
      public Optional<ZonedDateTime> previous(ZonedDateTime before) {
        ZonedDateTime t = ZonedDateTime.of(before.toLocalDate(), time, before.getZone());
        while (!t.isBefore(before)) {
          t = ZonedDateTime.of(t.toLocalDate().minusDays(1), time, before.getZone());
        }
        return Optional.of(t);
      }
    };
  }
}
