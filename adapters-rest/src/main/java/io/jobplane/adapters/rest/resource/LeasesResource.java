package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.TaskDtos.TaskBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.ClaimRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.ClaimResponse;
import io.jobplane.adapters.rest.dto.WorkerDtos.CompleteRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.FailRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.HeartbeatRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.HeartbeatResponse;
import io.jobplane.adapters.rest.dto.WorkerDtos.StoppedRequest;
import io.jobplane.adapters.rest.dto.WorkerReports;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.LongPollClaimsUseCase.LongPollClaim;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.Labels;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.Text;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
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
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.glassfish.jersey.server.AsyncContext;

/**
 * The worker side of the worker protocol (docs/worker-protocol.md): claim tasks under fenced
 * leases, then heartbeat, complete, fail or acknowledge a stop. Needs role worker (or admin). A
 * report whose epoch and lease token are not the task's current live lease answers 409 type
 * .../stale-lease, naming neither.
 *
 * <p>A claim with {@code wait_seconds} that finds nothing is parked by {@link
 * LongPollClaimsUseCase}: only then is the request suspended (Jersey's {@link AsyncContext}, the
 * container's async support), so it holds no thread while it waits, and it is resumed with the
 * leases or an empty list.
 */
@Path("/api/v1/leases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "workers")
@Singleton
public class LeasesResource {

  private final WorkerProtocolUseCase worker;
  private final Clock clock;
  private final TelemetryUseCase telemetry;
  @Inject private LongPollClaimsUseCase longPolls;

  @Inject
  public LeasesResource(WorkerProtocolUseCase worker, Clock clock, TelemetryUseCase telemetry) {
    this.worker = worker;
    this.clock = clock;
    this.telemetry = telemetry;
  }

  @POST
  @Operation(
      operationId = "claimLeases",
      summary = "Claim work",
      description =
          "Leases up to max_tasks queued tasks whose backoff has passed, highest priority first,"
              + " then oldest; two workers never get the same task. With nothing to lease and"
              + " wait_seconds > 0 the claim long-polls: the server answers as soon as work in"
              + " one of its queues is leased to it, else with an empty list when the wait ends"
              + " (possibly sooner: before the server's connection idle timeout, or when it shuts"
              + " down). Without wait_seconds an empty list means nothing to do: poll again"
              + " after about a second.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "The leases granted, possibly none",
            content = @Content(schema = @Schema(implementation = ClaimResponse.class))),
        @ApiResponse(
            responseCode = "400",
            description = "The claim is malformed (the problem names the field)",
            ref = "Problem"),
        @ApiResponse(
            responseCode = "403",
            description = "The token may not use the worker protocol",
            ref = "Problem"),
        @ApiResponse(
            responseCode = "429",
            description =
                "The token holds as many waiting claims as it may (--max-claim-waits-per-token);"
                    + " Retry-After says when to retry",
            ref = "Problem"),
        @ApiResponse(
            responseCode = "503",
            description =
                "The server holds as many waiting claims as it serves (--max-claim-waits), or is"
                    + " shutting down; Retry-After says when to retry",
            ref = "Problem")
      })
  public ClaimResponse claim(
      @Context SecurityContext security,
      @Context AsyncContext async,
      @RequestBody(required = true) ClaimRequest body) {
    Caller caller = Callers.of(security);
    Bodies.required(body);
    LongPollClaim request =
        LongPollClaim.waitingSeconds(
            new ClaimCommand(
                    caller,
                    body.workerId(),
                    body.hostname(),
                    body.queues(),
                    body.types(),
                    body.maxTasks() == null ? 1 : body.maxTasks(),
                    body.leaseSeconds() == null ? 30 : body.leaseSeconds())
                .withLabels(new Labels(body.labels())),
            body.waitSeconds());
    return ClaimAnswers.answer(longPolls.claim(request), async, body.workerId());
  }

  @DELETE
  @Path("waiting")
  @Consumes(MediaType.WILDCARD) // no body: whatever a client declares, there is nothing to read
  // no body to answer: a client that accepts only problem+json (what the document lists for
  // this operation, so what generated clients send) must not get 406
  @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
  @Operation(
      operationId = "releaseWaitingClaim",
      summary = "End a worker's waiting claim",
      description =
          "A worker that stops while its claim waits (wait_seconds) says so here: the server"
              + " answers that claim with an empty list at once. Without it the server cannot tell"
              + " that the client went away, and a task leased to the abandoned claim would wait"
              + " for its lease to expire. Nothing happens when the worker has no waiting claim.",
      responses = {
        @ApiResponse(
            responseCode = "204",
            description = "The worker's waiting claim, if it had one, is answered"),
        @ApiResponse(
            responseCode = "400",
            description = "worker_id is missing or malformed",
            ref = "Problem"),
        @ApiResponse(
            responseCode = "403",
            description = "The token may not use the worker protocol",
            ref = "Problem")
      })
  public Response release(
      @Context SecurityContext security,
      @Parameter(description = "the worker_id the waiting claim was sent with", required = true)
          @QueryParam("worker_id")
          String workerId) {
    // the role is checked before worker_id: a caller who may not use the protocol learns nothing
    longPolls.release(Callers.of(security), workerId);
    return Response.noContent().build();
  }

  @POST
  @Path(TaskPath.PATH + "/heartbeat")
  @Operation(
      operationId = "heartbeatLease",
      summary = "Keep a lease alive and report progress",
      description =
          "Extends the lease by its duration. The answer's stop is set once the job is being"
              + " stopped: finish or checkpoint before the deadline, then report stopped.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the lease as extended, and a stop request if there is one",
            content = @Content(schema = @Schema(implementation = HeartbeatResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public HeartbeatResponse heartbeat(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) HeartbeatRequest body) {
    Caller caller = Callers.of(security);
    LeaseRef ref = ref(caller, jobId, taskIndex, body);
    TaskItems items = body.items() == null ? null : body.items().toDomain();
    // refused before the heartbeat is applied, so a bad message changes nothing
    Text.linesOfText(body.message(), "message");
    HeartbeatAnswer answer = worker.heartbeat(ref, body.progress(), items);
    // the lease is current (heartbeat accepted): feed the telemetry it carries
    TaskReport report = new TaskReport(ref.jobId(), ref.taskIndex(), ref.epoch(), ref.leaseToken());
    if (body.progress() != null) {
      telemetry.recordProgress(
          caller, report, new ProgressSample(now(), ref.taskIndex(), body.progress()));
    }
    if (body.metrics() != null) {
      telemetry.reportMetrics(caller, report, body.metrics().toDomain());
    }
    if (body.message() != null && !body.message().isBlank()) {
      telemetry.appendLogs(
          caller,
          report,
          List.of(
              new LogLine(
                  now(), LogLevel.INFO, LogStream.STATUS, body.message(), null, ref.taskIndex())));
    }
    return new HeartbeatResponse(answer.task().leaseExpiresAt(), LeaseReportFields.stop(answer));
  }

  @POST
  @Path(TaskPath.PATH + "/complete")
  @Operation(
      operationId = "completeTask",
      summary = "Report a task as succeeded",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the task as the report leaves it",
            content = @Content(schema = @Schema(implementation = TaskBody.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public TaskBody complete(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) CompleteRequest body) {
    Caller caller = Callers.of(security);
    LeaseRef ref = ref(caller, jobId, taskIndex, body);
    return TaskBody.from(
        worker.complete(ref, LeaseReportFields.outputJson(body.output()), body.changed()),
        clock.instant());
  }

  @POST
  @Path(TaskPath.PATH + "/fail")
  @Operation(
      operationId = "failTask",
      summary = "Report a task as failed",
      description =
          "A retryable failure queues the task again with exponential backoff and jitter (2 s"
              + " doubling, capped at 5 min, ±20 %) while attempts remain; otherwise it fails.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the task as the report leaves it",
            content = @Content(schema = @Schema(implementation = TaskBody.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public TaskBody fail(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) FailRequest body) {
    Caller caller = Callers.of(security);
    LeaseRef ref = ref(caller, jobId, taskIndex, body);
    JobError error = LeaseReportFields.failure(body.reason(), body.message());
    return TaskBody.from(
        worker.fail(ref, error, body.exitCode(), Boolean.TRUE.equals(body.retryable())),
        clock.instant());
  }

  @POST
  @Path(TaskPath.PATH + "/stopped")
  @Operation(
      operationId = "reportTaskStopped",
      summary = "Acknowledge a stop request",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the task as the report leaves it",
            content = @Content(schema = @Schema(implementation = TaskBody.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public TaskBody stopped(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("job_id") String jobId,
      @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "0"))
          @PathParam("task_index")
          String taskIndex,
      @RequestBody(required = true) StoppedRequest body) {
    Caller caller = Callers.of(security);
    LeaseRef ref = ref(caller, jobId, taskIndex, body);
    return TaskBody.from(worker.stopped(ref), clock.instant());
  }

  // ----------------------------------------------------------------------------------------------

  private static LeaseRef ref(
      Caller caller, String jobId, String taskIndex, WorkerReports.LeaseFields body) {
    Long epoch = body == null ? null : body.epoch();
    String leaseToken = body == null ? null : body.leaseToken();
    TaskPath task = TaskPath.parse(jobId, taskIndex);
    if (epoch == null) {
      throw DomainException.invalid("epoch", "is required");
    }
    return new LeaseRef(caller, task.jobId(), task.taskIndex(), epoch, leaseToken);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
