package io.jobplane.domain;

import java.util.Locale;

/**
 * Where a job's work runs: leased by external workers, or run by the Kubernetes operator as
 * batch/v1 Jobs of a {@code jobs.jobplane.io} resource.
 */
public enum JobRuntime {
  WORKER,
  KUBERNETES;

  public static JobRuntime parse(String text, String field) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw DomainException.invalid(
          field, "unknown runtime '" + text + "'; expected worker or kubernetes");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
