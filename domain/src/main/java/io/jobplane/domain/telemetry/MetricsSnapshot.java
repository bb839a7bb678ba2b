package io.jobplane.domain.telemetry;

import io.jobplane.domain.DomainException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The latest metrics of one task: task-wide values and per-operator values. */
public record MetricsSnapshot(Counters values, List<OperatorMetrics> operators) {

  public static final int MAX_OPERATORS = 200;

  public MetricsSnapshot {
    values = values == null ? Counters.ZERO : values;
    operators = operators == null ? List.of() : List.copyOf(operators);
    if (operators.size() > MAX_OPERATORS) {
      throw DomainException.invalid("operators", "must be at most " + MAX_OPERATORS);
    }
    Set<String> seen = new HashSet<>();
    for (OperatorMetrics o : operators) {
      if (!seen.add(o.operatorId())) {
        throw DomainException.invalid("operators", "operator " + o.operatorId() + " appears twice");
      }
    }
  }
}
