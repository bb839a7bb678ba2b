package io.jobplane.domain.telemetry;

/** Severity of a log line. */
public enum LogLevel {
  INFO,
  WARN,
  ERROR;
}
