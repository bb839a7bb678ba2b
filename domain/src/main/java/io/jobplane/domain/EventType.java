package io.jobplane.domain;

/** What happened to a job, as recorded in its timeline. */
public enum EventType {
  SUBMITTED,
  QUEUED,
  SUSPENDED,
  RESUMED,
  STARTED,
  STOP_REQUESTED,
  STOPPED,
  SUCCEEDED,
  FAILED,
  PARTIALLY_FAILED,
  TIMED_OUT,
  REJECTED,
  SKIPPED,
  RETRIED,
  RESTARTED
}
