package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;

/** What one task reports about one operator of its pipeline. */
public record OperatorMetrics(
    String operatorId, String operatorName, OperatorKind kind, Counters values) {

  public OperatorMetrics {
    operatorId = Telemetry.requiredOperatorId(operatorId, "operators.operator_id");
    if (operatorName != null && operatorName.length() > 256) {
      throw DomainException.invalid("operators.operator_name", "must be at most 256 characters");
    }
    if (kind == null) {
      kind = OperatorKind.TRANSFORM;
    }
    values = values == null ? Counters.ZERO : values;
  }
}
