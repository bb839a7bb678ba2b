package io.jobplane.domain;

/** Where one task of a job's run is. Only RUNNING holds a lease. */
public enum TaskStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  STOPPED,
  TIMED_OUT;

  public boolean isTerminal() {
    return this != QUEUED && this != RUNNING;
  }
}
