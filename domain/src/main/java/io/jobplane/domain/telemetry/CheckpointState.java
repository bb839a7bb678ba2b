package io.jobplane.domain.telemetry;

/** Where a checkpoint is in its life. */
public enum CheckpointState {
  IN_PROGRESS,
  COMPLETED,
  FAILED;

  public static CheckpointState parse(String text, String field) {
    return Telemetry.parse(CheckpointState.class, text, field);
  }

  public String wireName() {
    return Telemetry.wire(this);
  }
}
