package io.jobplane.domain.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The metrics of a job run: the latest snapshot of each task, aggregated (see {@link Counters} for
 * the rules) for the job, per operator (with the values of each subtask = task index) and per
 * operator kind.
 */
public final class JobMetrics {

  /** One operator over all tasks that report it. */
  public record OperatorView(
      String operatorId,
      String operatorName,
      OperatorKind kind,
      Counters values,
      SortedMap<Integer, Counters> subtasks) {}

  /** The operators of one kind (sources, transforms or sinks). */
  public record Group(
      OperatorKind kind, long totalRecords, Double throughput, List<String> operators) {}

  private final SortedMap<Integer, MetricsSnapshot> byTask;

  public JobMetrics(Map<Integer, MetricsSnapshot> byTask) {
    this.byTask = new TreeMap<>(byTask);
  }

  public boolean isEmpty() {
    return byTask.isEmpty();
  }

  public SortedMap<Integer, MetricsSnapshot> byTask() {
    return byTask;
  }

  public Counters total() {
    return Counters.aggregate(byTask.values().stream().map(MetricsSnapshot::values).toList());
  }

  /** Operators in order of first appearance (lowest task first). */
  public List<OperatorView> operators() {
    Map<String, List<Map.Entry<Integer, OperatorMetrics>>> byOperator = new LinkedHashMap<>();
    byTask.forEach(
        (task, snapshot) ->
            snapshot
                .operators()
                .forEach(
                    o ->
                        byOperator
                            .computeIfAbsent(o.operatorId(), k -> new ArrayList<>())
                            .add(Map.entry(task, o))));
    List<OperatorView> views = new ArrayList<>();
    byOperator.forEach(
        (id, entries) -> {
          SortedMap<Integer, Counters> subtasks = new TreeMap<>();
          String name = null;
          OperatorKind kind = null;
          for (Map.Entry<Integer, OperatorMetrics> e : entries) {
            subtasks.put(e.getKey(), e.getValue().values());
            name = name == null ? e.getValue().operatorName() : name;
            kind = kind == null ? e.getValue().kind() : kind;
          }
          views.add(
              new OperatorView(id, name, kind, Counters.aggregate(subtasks.values()), subtasks));
        });
    return views;
  }

  /**
   * Groups by kind: total_records counts what sources emitted (records_out), what sinks received
   * (records_in) and what transforms emitted (records_out); throughput is summed.
   */
  public Map<OperatorKind, Group> groups() {
    Map<OperatorKind, Group> groups = new LinkedHashMap<>();
    for (OperatorKind kind : OperatorKind.values()) {
      List<OperatorView> ops = operators().stream().filter(o -> o.kind() == kind).toList();
      long total = 0;
      Double throughput = null;
      for (OperatorView o : ops) {
        total += kind == OperatorKind.SINK ? o.values().recordsIn() : o.values().recordsOut();
        if (o.values().throughput() != null) {
          throughput = (throughput == null ? 0 : throughput) + o.values().throughput();
        }
      }
      groups.put(
          kind,
          new Group(kind, total, throughput, ops.stream().map(OperatorView::operatorId).toList()));
    }
    return groups;
  }
}
