package io.jobplane.domain;

/** What the user wants the job to be doing, independent of what it is doing now. */
public enum DesiredState {
  RUNNING,
  STOPPED
}
