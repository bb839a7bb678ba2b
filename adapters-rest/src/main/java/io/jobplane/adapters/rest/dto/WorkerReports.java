package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.CheckpointState;
import io.jobplane.domain.telemetry.Counters;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OperatorKind;
import io.jobplane.domain.telemetry.OperatorMetrics;
import io.jobplane.domain.telemetry.OutputRecord;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/**
 * Wire bodies of the telemetry a worker reports (docs/worker-protocol.md). Every body carries the
 * lease {@code epoch} and {@code lease_token}; item timestamps default to the time the report
 * arrives.
 */
public final class WorkerReports {

  private WorkerReports() {}

  /**
   * The schema of a field that takes any JSON value (object, array, string, number, boolean):
   * {@link io.jobplane.adapters.rest.resource.OpenApiDocument} defines it without a type, which
   * Jackson's tree types would otherwise get as "any JSON object".
   */
  public static final String ANY_VALUE = "AnyValue";

  /**
   * What every report body carries to prove it comes from the lease's holder: the epoch and the
   * lease token the claim returned (a Kubernetes run credential proves its run instead).
   */
  public interface LeaseFields {
    Long epoch();

    String leaseToken();
  }

  public static long epoch(Long epoch) {
    if (epoch == null) {
      throw DomainException.invalid("epoch", "is required");
    }
    if (epoch < 0) {
      throw DomainException.invalid("epoch", "must not be negative");
    }
    return epoch;
  }

  private static <T> List<T> items(List<T> items, String field) {
    if (items == null) {
      throw DomainException.invalid(field, "is required");
    }
    return items;
  }

  private static Instant at(Instant value, Instant now) {
    return value == null ? now : value;
  }

  private static long count(Long value) {
    return value == null ? 0 : value;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LogLineReport")
  public record LogLineReport(
      @Schema(format = "date-time") Instant timestamp,
      @Schema(allowableValues = {"info", "warn", "error"}) String level,
      @Schema(
              allowableValues = {"stdout", "stderr", "status"},
              nullable = true)
          String stream,
      @Schema(maxLength = 16384) String message,
      @Schema(nullable = true) String operatorId) {

    LogLine toDomain(int taskIndex, Instant now) {
      return new LogLine(
          at(timestamp, now),
          WireNames.parse(LogLevel.class, level, "level"),
          stream == null ? null : WireNames.parse(LogStream.class, stream, "stream"),
          message,
          operatorId,
          taskIndex);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LogsReport")
  public record LogsReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      @ArraySchema(maxItems = 1000) List<LogLineReport> lines)
      implements LeaseFields {
    public List<LogLine> toDomain(int taskIndex, Instant now) {
      return items(lines, "lines").stream().map(l -> l.toDomain(taskIndex, now)).toList();
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ErrorReport")
  public record ErrorReport(
      @Schema(format = "date-time") Instant timestamp,
      @Schema(allowableValues = {"error", "warning"}) String level,
      @Schema(nullable = true) String operatorId,
      String message,
      @Schema(nullable = true) String details,
      @Schema(nullable = true, description = "the offending record, at most 16 KiB")
          String record) {

    JobErrorEntry toDomain(int taskIndex, Instant now) {
      return new JobErrorEntry(
          at(timestamp, now),
          level == null ? ErrorLevel.ERROR : WireNames.parse(ErrorLevel.class, level, "level"),
          operatorId,
          taskIndex,
          message,
          details,
          record);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ErrorsReport")
  public record ErrorsReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      List<ErrorReport> errors)
      implements LeaseFields {
    public List<JobErrorEntry> toDomain(int taskIndex, Instant now) {
      return items(errors, "errors").stream().map(e -> e.toDomain(taskIndex, now)).toList();
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "SubtaskStateReport")
  public record SubtaskStateReport(Integer subtaskIndex, Long stateSize) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OperatorStateReport")
  public record OperatorStateReport(
      String operatorId,
      @Schema(nullable = true) String operatorName,
      Long stateSize,
      @Schema(nullable = true) List<SubtaskStateReport> subtaskStates) {

    Checkpoint.OperatorState toDomain() {
      return new Checkpoint.OperatorState(
          operatorId,
          operatorName,
          count(stateSize),
          subtaskStates == null
              ? List.of()
              : subtaskStates.stream()
                  .map(
                      s -> {
                        if (s.subtaskIndex() == null) {
                          throw DomainException.invalid(
                              "operator_states.subtask_states.subtask_index", "is required");
                        }
                        return new Checkpoint.SubtaskState(s.subtaskIndex(), count(s.stateSize()));
                      })
                  .toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "CheckpointReport")
  public record CheckpointReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      String checkpointId,
      Long checkpointEpoch,
      @Schema(allowableValues = {"in_progress", "completed", "failed"}) String state,
      @Schema(format = "date-time") Instant startedAt,
      @Schema(nullable = true, format = "date-time") Instant finishedAt,
      @Schema(nullable = true) Long sizeBytes,
      @Schema(nullable = true) String backend,
      @Schema(nullable = true) String location,
      @Schema(nullable = true) List<OperatorStateReport> operatorStates)
      implements LeaseFields {

    public Checkpoint toDomain(int taskIndex, Instant now) {
      if (checkpointEpoch == null) {
        throw DomainException.invalid("checkpoint_epoch", "is required");
      }
      return new Checkpoint(
          checkpointId,
          checkpointEpoch,
          WireNames.parse(CheckpointState.class, state, "state"),
          // a checkpoint reported only once finished started no later than it finished
          at(startedAt, finishedAt != null && finishedAt.isBefore(now) ? finishedAt : now),
          finishedAt,
          sizeBytes,
          backend,
          location,
          taskIndex,
          operatorStates == null
              ? List.of()
              : operatorStates.stream().map(OperatorStateReport::toDomain).toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OutputRecordReport")
  public record OutputRecordReport(
      @Schema(format = "date-time") Instant timestamp,
      @Schema(nullable = true) String operatorId,
      // any value, not "any JSON object": a task may output 42 or a list
      @Schema(ref = "#/components/schemas/" + ANY_VALUE) JsonNode record) {

    OutputRecord toDomain(int taskIndex, Instant now) {
      if (record == null || record.isNull()) {
        throw DomainException.invalid("records.record", "is required");
      }
      return new OutputRecord(at(timestamp, now), operatorId, taskIndex, record.toString());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OutputReport")
  public record OutputReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      List<OutputRecordReport> records)
      implements LeaseFields {
    public List<OutputRecord> toDomain(int taskIndex, Instant now) {
      return items(records, "records").stream().map(r -> r.toDomain(taskIndex, now)).toList();
    }
  }

  /** The values of a task or one operator; absent counters are 0, absent gauges unknown. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "MetricValues")
  public record MetricValues(
      Long recordsIn,
      Long recordsOut,
      Long bytesIn,
      Long bytesOut,
      Long errors,
      Long warnings,
      Double throughput,
      Double latencyP50,
      Double latencyP95,
      Double latencyP99,
      @Schema(minimum = "0", maximum = "1") Double backpressure,
      @Schema(minimum = "0", maximum = "100") Double idleTimePercent) {

    Counters toDomain() {
      return new Counters(
          count(recordsIn),
          count(recordsOut),
          count(bytesIn),
          count(bytesOut),
          count(errors),
          count(warnings),
          throughput,
          latencyP50,
          latencyP95,
          latencyP99,
          backpressure,
          idleTimePercent);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OperatorMetricsReport")
  public record OperatorMetricsReport(
      String operatorId,
      @Schema(nullable = true) String operatorName,
      @Schema(
              allowableValues = {"source", "transform", "sink"},
              nullable = true)
          String kind,
      Long recordsIn,
      Long recordsOut,
      Long bytesIn,
      Long bytesOut,
      Long errors,
      Long warnings,
      Double throughput,
      Double latencyP50,
      Double latencyP95,
      Double latencyP99,
      Double backpressure,
      Double idleTimePercent) {

    OperatorMetrics toDomain() {
      return new OperatorMetrics(
          operatorId,
          operatorName,
          kind == null ? null : WireNames.parse(OperatorKind.class, kind, "operators.kind"),
          new MetricValues(
                  recordsIn,
                  recordsOut,
                  bytesIn,
                  bytesOut,
                  errors,
                  warnings,
                  throughput,
                  latencyP50,
                  latencyP95,
                  latencyP99,
                  backpressure,
                  idleTimePercent)
              .toDomain());
    }
  }

  /** The {@code metrics} object of a metrics report or a heartbeat. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "TaskMetricsReport")
  public record TaskMetricsReport(
      Long recordsIn,
      Long recordsOut,
      Long bytesIn,
      Long bytesOut,
      Long errors,
      Long warnings,
      Double throughput,
      Double latencyP50,
      Double latencyP95,
      Double latencyP99,
      Double backpressure,
      Double idleTimePercent,
      @Schema(nullable = true) List<OperatorMetricsReport> operators) {

    public MetricsSnapshot toDomain() {
      return new MetricsSnapshot(
          new MetricValues(
                  recordsIn,
                  recordsOut,
                  bytesIn,
                  bytesOut,
                  errors,
                  warnings,
                  throughput,
                  latencyP50,
                  latencyP95,
                  latencyP99,
                  backpressure,
                  idleTimePercent)
              .toDomain(),
          operators == null
              ? List.of()
              : operators.stream().map(OperatorMetricsReport::toDomain).toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "MetricsReport")
  public record MetricsReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      TaskMetricsReport metrics)
      implements LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ProgressReport")
  public record ProgressReport(
      Long epoch,
      @Schema(maxLength = 128, description = "the lease token the claim returned")
          String leaseToken,
      @Schema(minimum = "0", maximum = "100") Double progress)
      implements LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ReportAccepted")
  public record Accepted(@Schema(description = "items stored") int accepted) {}
}
