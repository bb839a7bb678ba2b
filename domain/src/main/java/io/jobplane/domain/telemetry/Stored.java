package io.jobplane.domain.telemetry;

import java.util.Objects;

/** A telemetry item as stored: its store-assigned id (ascending in append order) and run. */
public record Stored<T>(long id, int runId, T value) {

  public Stored {
    Objects.requireNonNull(value, "value");
  }
}
