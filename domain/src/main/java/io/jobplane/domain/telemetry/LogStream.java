package io.jobplane.domain.telemetry;

/** The output stream a log line was written to. */
public enum LogStream {
  STDOUT,
  STDERR;

  public static LogStream parse(String text, String field) {
    return Telemetry.parse(LogStream.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
