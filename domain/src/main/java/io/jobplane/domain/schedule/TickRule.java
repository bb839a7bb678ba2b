package io.jobplane.domain.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Which ticks of a schedule run now: a pure function of what was dealt with before, the time and
 * the rule, so it is tested with a fixed clock.
 *
 * <p>The ticks due are those in {@code (since, now]}. Of them, the most recent {@code maxCatchUp}
 * run, oldest first, minus those older than {@code startingDeadlineSeconds} (a job that would start
 * too late is not started at all). {@code maxCatchUp = 0} means no catch-up: a single due tick (the
 * server is keeping up) runs, a backlog of several (it was down) is dropped entirely. Ticks are
 * found walking backwards from now, so a long downtime of a seconds-level schedule costs at most
 * {@code maxCatchUp + 1} steps, never one per missed second. The ticks seen and not run are the
 * plan's {@code missed}: a lower bound after a long backlog, whose older ticks are never walked.
 *
 * <p>Time zones: the rule is evaluated on wall-clock time in {@code zone} and every tick is then an
 * instant, so on a fall-back day a 02:30 schedule fires once (the rule's next time after the first
 * 02:30 is the next day's), and on a spring-forward day it fires where the rule places the time
 * that does not exist (the cron adapter: at the jump).
 */
public final class TickRule {

  private TickRule() {}

  public static TickPlan plan(
      Instant since,
      Instant now,
      CronRule rule,
      ZoneId zone,
      int maxCatchUp,
      Integer startingDeadlineSeconds) {
    // cron fires on whole seconds: "strictly before the next second" includes a tick at now
    ZonedDateTime bound = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).atZone(zone);
    int wanted = maxCatchUp == 0 ? 2 : maxCatchUp;
    // with catch-up, one tick more than may run tells whether older ones are left behind
    int walk = maxCatchUp == 0 ? wanted : wanted + 1;
    List<Instant> due = new ArrayList<>(); // newest first
    Optional<ZonedDateTime> cursor = rule.previous(bound);
    while (cursor.isPresent()) {
      Instant tick = cursor.get().toInstant();
      if (!tick.isAfter(since)) {
        break;
      }
      due.add(tick);
      if (due.size() == walk) {
        break;
      }
      cursor = rule.previous(cursor.get());
    }
    Instant latestDue = due.isEmpty() ? null : due.get(0);
    List<Instant> run = new ArrayList<>();
    if (maxCatchUp > 0 || due.size() == 1) {
      for (Instant tick : due.subList(0, Math.min(due.size(), wanted))) {
        if (startingDeadlineSeconds == null
            || Duration.between(tick, now).compareTo(Duration.ofSeconds(startingDeadlineSeconds))
                <= 0) {
          run.add(tick);
        }
      }
    }
    Collections.reverse(run);
    Instant next = rule.next(now.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
    return new TickPlan(run, latestDue, next, due.size() - run.size());
  }
}
