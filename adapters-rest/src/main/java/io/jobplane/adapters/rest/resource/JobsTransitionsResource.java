package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.JobResponse;
import io.jobplane.adapters.rest.dto.RestartJobRequest;
import io.jobplane.adapters.rest.dto.StopJobRequest;
import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;

/**
 * The jobs API's transitions: what a user asks of a job's lifecycle (stop, restart, suspend,
 * resume), each answered with the job as the transition leaves it. Served under the same path as
 * {@link JobsResource} (Jersey merges the two), which submits, reads and deletes. The OpenAPI
 * reader orders resource classes by name and operations by method name, so this name (after {@code
 * JobsResource}) keeps the served document exactly as it was before the two were split.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@Singleton
public class JobsTransitionsResource {

  private final ControlJobUseCase controlJobs;
  private final Clock clock;

  @Inject
  public JobsTransitionsResource(ControlJobUseCase controlJobs, Clock clock) {
    this.controlJobs = controlJobs;
    this.clock = clock;
  }

  @POST
  @Path("{id}/stop")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "stopJob",
      summary = "Stop a job",
      description =
          "A job that holds no worker stops at once (200, STOPPED). A running job moves to"
              + " STOPPING (202) until its runtime confirms, unless mode is force.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "stopped",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(
            responseCode = "202",
            description = "stopping",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response stop(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @RequestBody(
              required = false,
              description =
                  "optional: without a body the stop is graceful with the default timeout")
          StopJobRequest body) {
    Caller caller = Callers.of(security);
    JobId jobId = pathId(id);
    StopMode mode = StopMode.parse(body == null ? null : body.mode());
    JobSnapshot job =
        controlJobs.stop(
            new StopJobCommand(caller, jobId, mode, body == null ? null : body.timeoutSeconds()));
    return Response.status(job.status() == JobStatus.STOPPING ? 202 : 200)
        .entity(JobAnswers.json(JobResponse.from(job, now())))
        .tag(JobAnswers.etag(job))
        .build();
  }

  @POST
  @Path("{id}/restart")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "restartJob",
      summary = "Restart a finished job as a new run",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job as the restart leaves it",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response restart(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @RequestBody(
              required = false,
              description = "optional: without a body the run restarts from scratch as it was")
          RestartJobRequest body) {
    Caller caller = Callers.of(security);
    JobId jobId = pathId(id);
    JobSnapshot job =
        controlJobs.restart(
            new RestartJobCommand(
                caller,
                jobId,
                body == null ? null : body.checkpointId(),
                body == null ? null : body.parallelism()));
    return JobAnswers.ok(job, now());
  }

  @POST
  @Path("{id}/suspend")
  @Operation(
      operationId = "suspendJob",
      summary = "Keep a pending or queued job out of the queue",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job as the transition leaves it",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response suspend(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    return JobAnswers.ok(controlJobs.suspend(caller, pathId(id)), now());
  }

  @POST
  @Path("{id}/resume")
  @Operation(
      operationId = "resumeJob",
      summary = "Queue a suspended job",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job as the transition leaves it",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response resume(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    return JobAnswers.ok(controlJobs.resume(caller, pathId(id)), now());
  }

  private static JobId pathId(String id) {
    return Params.jobId("id", id);
  }

  private Instant now() {
    return clock.instant();
  }
}
