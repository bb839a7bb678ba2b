package io.jobplane.domain.telemetry;

/** Where a checkpoint is in its life. */
public enum CheckpointState {
  IN_PROGRESS,
  COMPLETED,
  FAILED;
}
