package io.jobplane.domain;

import java.util.Locale;

/** Where a job's work runs. Kubernetes arrives with the operator. */
public enum JobRuntime {
  WORKER;

  public static JobRuntime parse(String text, String field) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw DomainException.invalid(field, "unknown runtime '" + text + "'; expected worker");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
