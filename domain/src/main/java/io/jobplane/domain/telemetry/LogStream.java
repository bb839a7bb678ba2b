package io.jobplane.domain.telemetry;

/**
 * Where a log line comes from: the process's stdout or stderr, or STATUS for the status messages a
 * worker sends with its heartbeats.
 */
public enum LogStream {
  STDOUT,
  STDERR,
  STATUS;

  public static LogStream parse(String text, String field) {
    return Telemetry.parse(LogStream.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
