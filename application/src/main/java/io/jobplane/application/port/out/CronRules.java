package io.jobplane.application.port.out;

import io.jobplane.domain.schedule.CronRule;

/**
 * Reads cron expressions: Unix 5-field, or 6 with a leading seconds field, or a macro ({@code
 * @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @hourly}). An expression that
 * is none of these is the client's mistake: {@code DomainException.invalid("cron", ...)}.
 */
public interface CronRules {

  CronRule parse(String expression);
}
