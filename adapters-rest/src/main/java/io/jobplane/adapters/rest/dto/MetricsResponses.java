package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.telemetry.Counters;
import io.jobplane.domain.telemetry.JobMetrics;
import io.jobplane.domain.telemetry.OperatorKind;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Wire bodies of a job's metrics (GET /api/v1/jobs/{id}/metrics, .../metric-groups, operators). */
public final class MetricsResponses {

  private MetricsResponses() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Metrics")
  public record MetricsValues(
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut,
      long errors,
      long warnings,
      @Schema(nullable = true) Double throughput,
      @Schema(nullable = true) Double latencyP50,
      @Schema(nullable = true) Double latencyP95,
      @Schema(nullable = true) Double latencyP99,
      @Schema(nullable = true) Double backpressure,
      @Schema(nullable = true) Double idleTimePercent) {

    public static MetricsValues from(Counters c) {
      return new MetricsValues(
          c.recordsIn(),
          c.recordsOut(),
          c.bytesIn(),
          c.bytesOut(),
          c.errors(),
          c.warnings(),
          c.throughput(),
          c.latencyP50(),
          c.latencyP95(),
          c.latencyP99(),
          c.backpressure(),
          c.idleTimePercent());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OperatorSummary")
  public record OperatorSummary(
      String operatorId,
      @Schema(nullable = true) String operatorName,
      @Schema(allowableValues = {"source", "transform", "sink"}) String kind,
      int subtasks,
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut,
      long errors,
      long warnings,
      @Schema(nullable = true) Double throughput) {

    static OperatorSummary from(JobMetrics.OperatorView o) {
      Counters c = o.values();
      return new OperatorSummary(
          o.operatorId(),
          o.operatorName(),
          WireNames.of(o.kind()),
          o.subtasks().size(),
          c.recordsIn(),
          c.recordsOut(),
          c.bytesIn(),
          c.bytesOut(),
          c.errors(),
          c.warnings(),
          c.throughput());
    }
  }

  /** The job's metrics: task values aggregated (counters and throughput summed, max latency). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder(alphabetic = false)
  @Schema(name = "JobMetrics")
  public record JobMetricsResponse(
      @Schema(description = "tasks that reported metrics in the current run") int tasks,
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut,
      long errors,
      long warnings,
      @Schema(nullable = true) Double throughput,
      @Schema(nullable = true) Double latencyP50,
      @Schema(nullable = true) Double latencyP95,
      @Schema(nullable = true) Double latencyP99,
      @Schema(nullable = true) Double backpressure,
      @Schema(nullable = true) Double idleTimePercent,
      List<OperatorSummary> operators) {

    public static JobMetricsResponse from(JobMetrics m) {
      Counters c = m.total();
      return new JobMetricsResponse(
          m.byTask().size(),
          c.recordsIn(),
          c.recordsOut(),
          c.bytesIn(),
          c.bytesOut(),
          c.errors(),
          c.warnings(),
          c.throughput(),
          c.latencyP50(),
          c.latencyP95(),
          c.latencyP99(),
          c.backpressure(),
          c.idleTimePercent(),
          m.operators().stream().map(OperatorSummary::from).toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "SubtaskMetrics")
  public record SubtaskMetrics(
      @Schema(description = "the task index") int subtaskIndex,
      long recordsIn,
      long recordsOut,
      long bytesIn,
      long bytesOut,
      long errors,
      long warnings,
      @Schema(nullable = true) Double throughput,
      @Schema(nullable = true) Double backpressure,
      @Schema(nullable = true) Double idleTimePercent) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OperatorMetrics")
  public record OperatorMetricsResponse(
      String operatorId,
      @Schema(nullable = true) String operatorName,
      @Schema(allowableValues = {"source", "transform", "sink"}) String kind,
      int subtasks,
      MetricsValues metrics,
      List<SubtaskMetrics> subtaskMetrics) {

    public static OperatorMetricsResponse from(JobMetrics.OperatorView o) {
      return new OperatorMetricsResponse(
          o.operatorId(),
          o.operatorName(),
          WireNames.of(o.kind()),
          o.subtasks().size(),
          MetricsValues.from(o.values()),
          o.subtasks().entrySet().stream()
              .map(
                  e -> {
                    Counters c = e.getValue();
                    return new SubtaskMetrics(
                        e.getKey(),
                        c.recordsIn(),
                        c.recordsOut(),
                        c.bytesIn(),
                        c.bytesOut(),
                        c.errors(),
                        c.warnings(),
                        c.throughput(),
                        c.backpressure(),
                        c.idleTimePercent());
                  })
              .toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "MetricGroup")
  public record MetricGroup(
      @Schema(
              description =
                  "sources: records emitted; sinks: records received; transforms:"
                      + " records emitted")
          long totalRecords,
      @Schema(nullable = true) Double throughput,
      List<String> operators) {

    static MetricGroup from(JobMetrics.Group g) {
      return new MetricGroup(g.totalRecords(), g.throughput(), g.operators());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "MetricGroups")
  public record MetricGroupsResponse(
      MetricGroup sources, MetricGroup transforms, MetricGroup sinks) {

    public static MetricGroupsResponse from(JobMetrics m) {
      Map<OperatorKind, JobMetrics.Group> g = m.groups();
      return new MetricGroupsResponse(
          MetricGroup.from(g.get(OperatorKind.SOURCE)),
          MetricGroup.from(g.get(OperatorKind.TRANSFORM)),
          MetricGroup.from(g.get(OperatorKind.SINK)));
    }
  }
}
