package io.jobplane.domain.schedule;

/** What a tick does while an earlier job of the same schedule is still active (as in CronJob). */
public enum ConcurrencyPolicy {
  /** Start the new job anyway. */
  ALLOW,
  /** Skip the tick; it is recorded as skipped. */
  FORBID,
  /** Stop the active jobs, then start the new one. */
  REPLACE
}
