package io.jobplane.domain.telemetry;

/** Severity of a job error entry. */
public enum ErrorLevel {
  ERROR,
  WARNING;

  public static ErrorLevel parse(String text, String field) {
    return Telemetry.parse(ErrorLevel.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
