package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.time.Instant;

/** One output record a task sampled for preview; {@code recordJson} is a JSON document. */
public record OutputRecord(Instant timestamp, String operatorId, int taskIndex, String recordJson) {

  public OutputRecord {
    if (timestamp == null) {
      throw DomainException.invalid("timestamp", "must not be empty");
    }
    operatorId = Telemetry.operatorId(operatorId, "operator_id");
    Telemetry.taskIndex(taskIndex, "task_index");
    recordJson = Telemetry.boundedText(recordJson, "record", true);
  }
}
