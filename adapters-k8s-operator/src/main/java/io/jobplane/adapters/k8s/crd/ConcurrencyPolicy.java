package io.jobplane.adapters.k8s.crd;

/**
 * What a tick does while an earlier job of the schedule has not finished, spelled as a CronJob's
 * {@code concurrencyPolicy}: start another (Allow), skip the tick (Forbid), or stop the running
 * ones and start the new one (Replace).
 */
public enum ConcurrencyPolicy {
  Allow,
  Forbid,
  Replace
}
