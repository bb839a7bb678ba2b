package io.jobplane.domain.schedule;

import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A parsed cron expression: when it fires, in the wall-clock time of the zone of the date-time it
 * is given. The domain knows no cron syntax; an adapter implements this with a cron library. Empty
 * when the expression never fires again (or never fired before).
 */
public interface CronRule {

  /** The first time the rule fires strictly after {@code after}. */
  Optional<ZonedDateTime> next(ZonedDateTime after);

  /** The last time the rule fired strictly before {@code before}. */
  Optional<ZonedDateTime> previous(ZonedDateTime before);
}
