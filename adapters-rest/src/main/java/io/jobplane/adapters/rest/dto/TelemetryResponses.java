package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.Stored;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Wire bodies of the telemetry read side (GET /api/v1/jobs/{id}/...). */
public final class TelemetryResponses {

  private TelemetryResponses() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "SubtaskState")
  public record SubtaskStateResponse(int subtaskIndex, long stateSize) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OperatorState")
  public record OperatorStateResponse(
      String operatorId,
      @Schema(nullable = true) String operatorName,
      long stateSize,
      List<SubtaskStateResponse> subtaskStates) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Checkpoint")
  public record CheckpointResponse(
      String id,
      UUID jobId,
      @Schema(description = "the checkpoint epoch the task reported") long epoch,
      @Schema(allowableValues = {"in_progress", "completed", "failed"}) String state,
      Instant startedAt,
      @Schema(nullable = true) Instant finishedAt,
      @Schema(nullable = true) Long sizeBytes,
      @Schema(nullable = true) String backend,
      @Schema(nullable = true) String location,
      int taskIndex,
      List<OperatorStateResponse> operatorStates) {

    public static CheckpointResponse from(JobId jobId, Checkpoint c) {
      return new CheckpointResponse(
          c.id(),
          jobId.value(),
          c.checkpointEpoch(),
          WireNames.of(c.state()),
          c.startedAt(),
          c.finishedAt(),
          c.sizeBytes(),
          c.backend(),
          c.location(),
          c.taskIndex(),
          c.operatorStates().stream()
              .map(
                  o ->
                      new OperatorStateResponse(
                          o.operatorId(),
                          o.operatorName(),
                          o.stateSize(),
                          o.subtaskStates().stream()
                              .map(s -> new SubtaskStateResponse(s.subtaskIndex(), s.stateSize()))
                              .toList()))
              .toList());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "CheckpointList")
  public record CheckpointListResponse(
      List<CheckpointResponse> data, long total, int limit, int offset, boolean hasMore) {

    public static CheckpointListResponse from(JobId jobId, Page<Checkpoint> page) {
      return new CheckpointListResponse(
          page.items().stream().map(c -> CheckpointResponse.from(jobId, c)).toList(),
          page.total(),
          page.limit(),
          page.offset(),
          page.hasMore());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LogLine")
  public record LogLineResponse(
      long id,
      Instant timestamp,
      @Schema(allowableValues = {"info", "warn", "error"}) String level,
      @Schema(allowableValues = {"stdout", "stderr", "status"}) String stream,
      @Schema(nullable = true) String operatorId,
      int taskIndex,
      int runId,
      String message) {

    public static LogLineResponse from(Stored<LogLine> s) {
      LogLine l = s.value();
      return new LogLineResponse(
          s.id(),
          l.timestamp(),
          WireNames.of(l.level()),
          WireNames.of(l.stream()),
          l.operatorId(),
          l.taskIndex(),
          s.runId(),
          l.message());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LogList")
  public record LogListResponse(
      @Schema(description = "oldest first") List<LogLineResponse> data,
      int limit,
      boolean hasMore,
      @Schema(nullable = true, description = "pass as ?cursor= to read the following lines")
          String nextCursor) {

    public static LogListResponse from(Page<Stored<LogLine>> page) {
      return new LogListResponse(
          page.items().stream().map(LogLineResponse::from).toList(),
          page.limit(),
          page.hasMore(),
          page.nextCursor());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobErrorEntry")
  public record ErrorEntryResponse(
      long id,
      Instant timestamp,
      @Schema(allowableValues = {"error", "warning"}) String level,
      @Schema(nullable = true) String operatorId,
      int taskIndex,
      int runId,
      String message,
      @Schema(nullable = true) String details,
      @Schema(nullable = true) String record) {

    static ErrorEntryResponse from(Stored<JobErrorEntry> s) {
      JobErrorEntry e = s.value();
      return new ErrorEntryResponse(
          s.id(),
          e.timestamp(),
          WireNames.of(e.level()),
          e.operatorId(),
          e.taskIndex(),
          s.runId(),
          e.message(),
          e.details(),
          e.record());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobErrorList")
  public record ErrorListResponse(
      @Schema(description = "newest first") List<ErrorEntryResponse> data,
      long total,
      int limit,
      int offset,
      boolean hasMore) {

    public static ErrorListResponse from(Page<Stored<JobErrorEntry>> page) {
      return new ErrorListResponse(
          page.items().stream().map(ErrorEntryResponse::from).toList(),
          page.total(),
          page.limit(),
          page.offset(),
          page.hasMore());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonPropertyOrder({"id", "timestamp", "operator_id", "task_index", "run_id", "record"})
  @Schema(name = "OutputRecord")
  public record OutputRecordResponse(
      long id,
      Instant timestamp,
      @Schema(nullable = true) String operatorId,
      int taskIndex,
      int runId,
      @Schema(type = "object", description = "the record as the task reported it")
          JsonNode record) {

    static OutputRecordResponse from(Stored<OutputRecord> s) {
      OutputRecord r = s.value();
      return new OutputRecordResponse(
          s.id(), r.timestamp(), r.operatorId(), r.taskIndex(), s.runId(), parse(r.recordJson()));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "OutputList")
  public record OutputListResponse(
      @Schema(description = "oldest first") List<OutputRecordResponse> data,
      @Schema(nullable = true, description = "the operator filter, if any") String operatorId,
      long totalRecords,
      int limit,
      int offset,
      boolean hasMore) {

    public static OutputListResponse from(String operatorId, Page<Stored<OutputRecord>> page) {
      return new OutputListResponse(
          page.items().stream().map(OutputRecordResponse::from).toList(),
          operatorId,
          page.total(),
          page.limit(),
          page.offset(),
          page.hasMore());
    }
  }

  /** One timeline event of the live watch stream (the SSE {@code data}). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WatchEvent")
  public record WatchEvent(
      @Schema(description = "store-wide event id; also the SSE id") long id,
      UUID jobId,
      String project,
      EventResponse event) {

    public static WatchEvent from(FeedEvent e) {
      return new WatchEvent(e.id(), e.jobId().value(), e.project(), EventResponse.from(e.event()));
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JsonMapping.mapper().readTree(json);
    } catch (JsonProcessingException e) {
      return JsonMapping.mapper().getNodeFactory().textNode(json);
    }
  }
}
