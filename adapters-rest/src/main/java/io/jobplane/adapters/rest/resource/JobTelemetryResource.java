package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.MetricsResponses.JobMetricsResponse;
import io.jobplane.adapters.rest.dto.MetricsResponses.MetricGroupsResponse;
import io.jobplane.adapters.rest.dto.MetricsResponses.OperatorMetricsResponse;
import io.jobplane.adapters.rest.dto.TelemetryResponses.CheckpointListResponse;
import io.jobplane.adapters.rest.dto.TelemetryResponses.CheckpointResponse;
import io.jobplane.adapters.rest.dto.TelemetryResponses.ErrorListResponse;
import io.jobplane.adapters.rest.dto.TelemetryResponses.LogListResponse;
import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.domain.JobId;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.Telemetry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Instant;

/**
 * What jobs reported: metrics, checkpoints, logs and errors (output previews: JobOutputResource).
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "telemetry")
public class JobTelemetryResource {

  @Inject private TelemetryQueries telemetry;
  @Context private SecurityContext security;

  @GET
  @Path("{id}/metrics")
  @Operation(
      operationId = "getJobMetrics",
      summary = "Metrics of the job's current run, aggregated over its tasks",
      description =
          "Counters and throughput are summed over tasks, latencies and backpressure are the"
              + " maximum, idle time the average.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job's latest metrics",
            content = @Content(schema = @Schema(implementation = JobMetricsResponse.class)))
      })
  public JobMetricsResponse metrics(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    return JobMetricsResponse.from(telemetry.metrics(Callers.of(security), Params.jobId("id", id)));
  }

  @GET
  @Path("{id}/operators/{operator_id}/metrics")
  @Operation(
      operationId = "getJobOperatorMetrics",
      summary = "Metrics of one operator, in total and per subtask (task index)",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "one operator's latest metrics",
            content = @Content(schema = @Schema(implementation = OperatorMetricsResponse.class)))
      })
  public OperatorMetricsResponse operatorMetrics(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @PathParam("operator_id") String operatorId) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    p.parse("operator_id", () -> Telemetry.requiredOperatorId(operatorId, "operator_id"));
    p.check();
    return OperatorMetricsResponse.from(
        telemetry.operatorMetrics(Callers.of(security), jobId, operatorId));
  }

  @GET
  @Path("{id}/metric-groups")
  @Operation(
      operationId = "listJobMetricGroups",
      summary = "Metrics aggregated by operator kind: sources, transforms, sinks",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job's metric groups",
            content = @Content(schema = @Schema(implementation = MetricGroupsResponse.class)))
      })
  public MetricGroupsResponse metricGroups(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    return MetricGroupsResponse.from(
        telemetry.metrics(Callers.of(security), Params.jobId("id", id)));
  }

  @GET
  @Path("{id}/checkpoints")
  @Operation(
      operationId = "listJobCheckpoints",
      summary = "The job's checkpoints, newest epoch first",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of the job's checkpoints",
            content = @Content(schema = @Schema(implementation = CheckpointListResponse.class)))
      })
  public CheckpointListResponse checkpoints(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @Parameter(description = "true: only completed ones; false: only the others")
          @QueryParam("completed")
          String completed,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "20"))
          @QueryParam("limit")
          String limit,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
          @QueryParam("offset")
          String offset) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    Boolean done = completed == null ? null : p.bool("completed", completed);
    Params.OffsetPage pg = p.offsetPage(limit, offset, TelemetryQueries.MAX_LIMIT, 20);
    p.check();
    return CheckpointListResponse.from(
        jobId, telemetry.checkpoints(Callers.of(security), jobId, done, pg.limit(), pg.offset()));
  }

  @GET
  @Path("{id}/checkpoints/{checkpoint_id}")
  @Operation(
      operationId = "getJobCheckpoint",
      summary = "One checkpoint with its operator and subtask states",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the checkpoint",
            content = @Content(schema = @Schema(implementation = CheckpointResponse.class)))
      })
  public CheckpointResponse checkpoint(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @PathParam("checkpoint_id") String checkpointId) {
    JobId jobId = Params.jobId("id", id);
    return CheckpointResponse.from(
        jobId, telemetry.checkpoint(Callers.of(security), jobId, checkpointId));
  }

  @GET
  @Path("{id}/logs")
  @Operation(
      operationId = "listJobLogs",
      summary = "The job's log lines, oldest first",
      description =
          "The job keeps its newest 10,000 lines. Page with the next_cursor of the previous page;"
              + " ?tail=N gives the newest N. With Accept: text/event-stream or ?follow=true the"
              + " answer is a live stream of lines as they are written (kubectl logs -f).",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of the job's log lines",
            content = @Content(schema = @Schema(implementation = LogListResponse.class)))
      })
  public LogListResponse logs(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @Parameter(schema = @Schema(allowableValues = {"info", "warn", "error"})) @QueryParam("level")
          String level,
      @Parameter(schema = @Schema(type = "integer", minimum = "0")) @QueryParam("task_index")
          String taskIndex,
      @QueryParam("operator_id") String operatorId,
      @Parameter(description = "RFC 3339, inclusive", schema = @Schema(format = "date-time"))
          @QueryParam("since")
          String since,
      @Parameter(description = "RFC 3339, exclusive", schema = @Schema(format = "date-time"))
          @QueryParam("until")
          String until,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor")
          String cursor,
      @Parameter(
              description =
                  "the newest N lines (oldest first) instead of a page from the start; with"
                      + " follow, the lines sent before the new ones",
              schema = @Schema(type = "integer", minimum = "1", maximum = "1000"))
          @QueryParam("tail")
          String tail,
      @Parameter(
              description =
                  "true: a text/event-stream of lines as they are written (event 'log', id ="
                      + " line id, resume with Last-Event-ID), like Accept: text/event-stream;"
                      + " add until=finished to end it with an 'end' event when the job"
                      + " finishes",
              schema = @Schema(type = "boolean", defaultValue = "false"))
          @QueryParam("follow")
          String follow) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    if (follow != null && !follow.equalsIgnoreCase("false")) {
      // follow=true is routed to the stream before matching; anything else is a typo
      p.error("follow", "must be true or false");
    }
    if (JobWatchResource.untilFinished(until)) {
      p.error("until", "'finished' applies to follow=true only");
    }
    Integer lines = p.integer("tail", tail, 1, LogFilter.MAX_LIMIT);
    if (lines != null && (cursor != null || limit != null)) {
      p.error("tail", "cannot be combined with cursor or limit");
    }
    LogLevel lvl = p.wireName("level", LogLevel.class, level);
    Integer task = p.integer("task_index", taskIndex, 0, Integer.MAX_VALUE);
    Instant from = p.instant("since", since);
    Instant to = JobWatchResource.untilFinished(until) ? null : p.instant("until", until);
    Integer lim = p.integer("limit", limit, 1, LogFilter.MAX_LIMIT);
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor.trim());
      } catch (NumberFormatException e) {
        p.error("cursor", "is not a cursor of this list");
      }
    }
    p.check();
    long afterId = after;
    LogFilter filter =
        p.parse(
            "logs",
            () ->
                new LogFilter(
                    lvl,
                    task,
                    operatorId,
                    from,
                    to,
                    lim == null ? LogFilter.DEFAULT_LIMIT : lim,
                    afterId));
    p.check();
    if (lines != null) {
      return LogListResponse.from(telemetry.lastLogs(Callers.of(security), jobId, filter, lines));
    }
    return LogListResponse.from(telemetry.logs(Callers.of(security), jobId, filter));
  }

  @GET
  @Path("{id}/errors")
  @Operation(
      operationId = "listJobErrors",
      summary = "Errors and warnings the job's tasks reported, newest first",
      description = "Includes copies of error-level log lines; the job keeps its newest 1,000.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of the job's errors",
            content = @Content(schema = @Schema(implementation = ErrorListResponse.class)))
      })
  public ErrorListResponse errors(
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @Parameter(schema = @Schema(allowableValues = {"error", "warning"})) @QueryParam("level")
          String level,
      @QueryParam("operator_id") String operatorId,
      @Parameter(schema = @Schema(type = "integer", minimum = "0")) @QueryParam("task_index")
          String taskIndex,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
          @QueryParam("limit")
          String limit,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
          @QueryParam("offset")
          String offset) {
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    ErrorLevel lvl = p.wireName("level", ErrorLevel.class, level);
    Integer task = p.integer("task_index", taskIndex, 0, Integer.MAX_VALUE);
    Params.OffsetPage pg =
        p.offsetPage(limit, offset, ErrorFilter.MAX_LIMIT, ErrorFilter.DEFAULT_LIMIT);
    p.check();
    ErrorFilter filter =
        p.parse("errors", () -> new ErrorFilter(lvl, operatorId, task, pg.limit(), pg.offset()));
    p.check();
    return ErrorListResponse.from(telemetry.errors(Callers.of(security), jobId, filter));
  }
}
