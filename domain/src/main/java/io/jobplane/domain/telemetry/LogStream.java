package io.jobplane.domain.telemetry;

/**
 * Where a log line comes from: the process's stdout or stderr, or STATUS for the status messages a
 * worker sends with its heartbeats.
 */
public enum LogStream {
  STDOUT,
  STDERR,
  STATUS;
}
