package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;

/** A task's progress (0..100 percent) at one moment. */
public record ProgressSample(Instant at, int taskIndex, double progress) {

  public ProgressSample {
    if (at == null) {
      throw DomainException.invalid("timestamp", "must not be empty");
    }
    Telemetry.taskIndex(taskIndex, "task_index");
    if (Double.isNaN(progress) || progress < 0 || progress > 100) {
      throw DomainException.invalid("progress", "must be between 0 and 100");
    }
  }
}
