package io.jobplane.domain.telemetry;

/** Severity of a log line. */
public enum LogLevel {
  INFO,
  WARN,
  ERROR;

  public static LogLevel parse(String text, String field) {
    return Telemetry.parse(LogLevel.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
