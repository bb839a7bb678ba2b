package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.WorkerReports;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.telemetry.ProgressSample;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * The telemetry side of the worker protocol: logs, errors, checkpoints, output, metrics and
 * progress of a leased task. Every report is fenced by the lease epoch (409 stale-lease).
 */
@Path("/api/v1/leases")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workers")
@Singleton
public class TelemetryReportsResource {

  private final TelemetryUseCase telemetry;
  private final Clock clock;

  @Inject
  public TelemetryReportsResource(TelemetryUseCase telemetry, Clock clock) {
    this.telemetry = telemetry;
    this.clock = clock;
  }

  @POST
  @Path(TaskPath.PATH + "/logs")
  @Operation(
      operationId = "reportTaskLogs",
      summary = "Append log lines of a leased task",
      description = "At most 1000 lines; error-level lines are also recorded as job errors.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted logs(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.LogsReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    var lines = body.toDomain(report.taskIndex(), now());
    return fenced(
        () -> {
          telemetry.appendLogs(Callers.of(security), report, lines);
          return lines.size();
        });
  }

  @POST
  @Path(TaskPath.PATH + "/errors")
  @Operation(
      operationId = "reportTaskErrors",
      summary = "Report errors and warnings of a leased task",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted errors(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.ErrorsReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    var errors = body.toDomain(report.taskIndex(), now());
    return fenced(
        () -> {
          telemetry.reportErrors(Callers.of(security), report, errors);
          return errors.size();
        });
  }

  @POST
  @Path(TaskPath.PATH + "/checkpoints")
  @Operation(
      operationId = "reportTaskCheckpoint",
      summary = "Record a checkpoint of a leased task",
      description = "Reporting the same checkpoint_id again replaces the earlier report.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted checkpoints(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.CheckpointReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    var checkpoint = body.toDomain(report.taskIndex(), now());
    return fenced(
        () -> {
          telemetry.recordCheckpoint(Callers.of(security), report, checkpoint);
          return 1;
        });
  }

  @POST
  @Path(TaskPath.PATH + "/output")
  @Operation(
      operationId = "reportTaskOutput",
      summary = "Append output preview records of a leased task",
      description = "At most 1000 records a call; the job keeps its newest 1000.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted output(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.OutputReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    var records = body.toDomain(report.taskIndex(), now());
    return fenced(
        () -> {
          telemetry.appendOutput(Callers.of(security), report, records);
          return records.size();
        });
  }

  @POST
  @Path(TaskPath.PATH + "/metrics")
  @Operation(
      operationId = "reportTaskMetrics",
      summary = "Replace the latest metrics of a leased task",
      description = "The same metrics object a heartbeat may carry.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted metrics(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.MetricsReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    if (body.metrics() == null) {
      throw DomainException.invalid("metrics", "is required");
    }
    var snapshot = body.metrics().toDomain();
    return fenced(
        () -> {
          telemetry.reportMetrics(Callers.of(security), report, snapshot);
          return 1;
        });
  }

  @POST
  @Path(TaskPath.PATH + "/progress")
  @Operation(
      operationId = "reportTaskProgress",
      summary = "Record the progress (0..100) of a leased task",
      description = "Samples feed the job's estimated_seconds_remaining.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the report is recorded",
            content = @Content(schema = @Schema(implementation = WorkerReports.Accepted.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public WorkerReports.Accepted progress(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) WorkerReports.ProgressReport body) {
    TaskReport report = report(jobId, taskIndex, body);
    if (body.progress() == null) {
      throw DomainException.invalid("progress", "is required");
    }
    var sample = new ProgressSample(now(), report.taskIndex(), body.progress());
    return fenced(
        () -> {
          telemetry.recordProgress(Callers.of(security), report, sample);
          return 1;
        });
  }

  // ----------------------------------------------------------------------------------------------

  private static TaskReport report(String jobId, String taskIndex, WorkerReports.LeaseFields body) {
    TaskPath task = TaskPath.parse(jobId, taskIndex);
    return new TaskReport(
        task.jobId(),
        task.taskIndex(),
        WorkerReports.epoch(body == null ? null : body.epoch()),
        body == null ? null : body.leaseToken());
  }

  /**
   * Runs a write the service fences by the lease; a stale lease is its {@code STALE_LEASE}, which
   * {@code DomainExceptionMapper} answers as the protocol's 409 stale-lease problem.
   */
  private static WorkerReports.Accepted fenced(Supplier<Integer> write) {
    return new WorkerReports.Accepted(write.get());
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
