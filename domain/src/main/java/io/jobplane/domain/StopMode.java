package io.jobplane.domain;

import java.util.Locale;

/**
 * How a running job is asked to stop. GRACEFUL lets it finish or checkpoint within the timeout
 * (seed 003 calls this "checkpoint"), IMMEDIATE asks it to abort now, FORCE stops it in the store
 * without waiting for the runtime to acknowledge.
 */
public enum StopMode {
  GRACEFUL,
  IMMEDIATE,
  FORCE;

  public static StopMode parse(String text) {
    if (text == null) {
      return GRACEFUL;
    }
    String normalized = text.trim().toUpperCase(Locale.ROOT);
    if (normalized.equals("CHECKPOINT")) {
      return GRACEFUL;
    }
    try {
      return valueOf(normalized);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("mode", "must be one of graceful, immediate, force");
    }
  }
}
