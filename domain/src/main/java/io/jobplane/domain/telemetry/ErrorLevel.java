package io.jobplane.domain.telemetry;

/** Severity of a job error entry. */
public enum ErrorLevel {
  ERROR,
  WARNING;
}
