package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.dto.WorkerDtos.ClaimRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.ClaimResponse;
import io.jobplane.adapters.rest.dto.WorkerDtos.CompleteRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.FailRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.HeartbeatRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.HeartbeatResponse;
import io.jobplane.adapters.rest.dto.WorkerDtos.LeaseBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.StopBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.StoppedRequest;
import io.jobplane.adapters.rest.dto.WorkerDtos.TaskBody;
import io.jobplane.adapters.rest.dto.WorkerReports;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.LongPollClaimsUseCase;
import io.jobplane.application.port.in.LongPollClaimsUseCase.LongPollClaim;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.Text;
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
import jakarta.ws.rs.container.ConnectionCallback;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.glassfish.jersey.server.AsyncContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  /** Bound on a completed task's output document. */
  public static final int MAX_OUTPUT_BYTES = 256 * 1024;

  private static final String TASK = "{job_id}/tasks/{task_index}";

  private static final Logger log = LoggerFactory.getLogger(LeasesResource.class);

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
    if (body == null) {
      throw DomainException.invalid("body", "a JSON object is required");
    }
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
    CompletableFuture<List<Lease>> answer = longPolls.claim(request);
    if (answer.isDone()) {
      return claimed(answer);
    }
    // Parked: suspend only now, so that claims answered at once never start the container's async
    // machinery (and run on containers without it, like the in-memory test container).
    if (!async.suspend()) {
      answer.cancel(false);
      return answer.isCancelled() ? new ClaimResponse(List.of()) : claimed(answer);
    }
    String worker = body.workerId();
    async.register(
        (ConnectionCallback)
            gone ->
                log.debug("The client of worker {} left before its claim was answered", worker));
    answer.whenComplete(
        (leases, error) -> {
          if (error == null) {
            async.resume(Response.ok(response(leases), MediaType.APPLICATION_JSON_TYPE).build());
          } else if (!(error instanceof CancellationException)) {
            async.resume(unwrap(error));
          }
        });
    return null; // the answer goes out when the claim is resumed
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

  private static ClaimResponse claimed(CompletableFuture<List<Lease>> answer) {
    try {
      return response(answer.join());
    } catch (CompletionException e) {
      Throwable cause = unwrap(e);
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static ClaimResponse response(List<Lease> leases) {
    return new ClaimResponse(
        leases.stream()
            .map(l -> LeaseBody.from(l.job(), l.task(), l.checkpoint(), l.env(), l.leaseToken()))
            .toList());
  }

  @POST
  @Path(TASK + "/heartbeat")
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
        @ApiResponse(responseCode = "404", ref = "Problem"),
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
    TaskItems items =
        body.items() == null
            ? null
            : new TaskItems(body.items().total(), body.items().completed(), body.items().failed());
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
          java.util.List.of(
              new io.jobplane.domain.telemetry.LogLine(
                  now(),
                  io.jobplane.domain.telemetry.LogLevel.INFO,
                  io.jobplane.domain.telemetry.LogStream.STATUS,
                  body.message(),
                  null,
                  ref.taskIndex())));
    }
    return new HeartbeatResponse(answer.task().leaseExpiresAt(), stop(answer));
  }

  @POST
  @Path(TASK + "/complete")
  @Operation(
      operationId = "completeTask",
      summary = "Report a task as succeeded",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the task as the report leaves it",
            content = @Content(schema = @Schema(implementation = TaskBody.class))),
        @ApiResponse(responseCode = "404", ref = "Problem"),
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
        worker.complete(ref, outputJson(body.output()), body.changed()), clock.instant());
  }

  @POST
  @Path(TASK + "/fail")
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
        @ApiResponse(responseCode = "404", ref = "Problem"),
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
    JobError error = failure(body.reason(), body.message());
    return TaskBody.from(
        worker.fail(ref, error, body.exitCode(), Boolean.TRUE.equals(body.retryable())),
        clock.instant());
  }

  @POST
  @Path(TASK + "/stopped")
  @Operation(
      operationId = "reportTaskStopped",
      summary = "Acknowledge a stop request",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the task as the report leaves it",
            content = @Content(schema = @Schema(implementation = TaskBody.class))),
        @ApiResponse(responseCode = "404", ref = "Problem"),
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
    Params p = new Params();
    JobId id = p.parse("job_id", () -> JobId.parse(jobId));
    Integer index = p.integer("task_index", taskIndex, 0, Integer.MAX_VALUE);
    if (taskIndex == null) {
      p.error("task_index", "is required");
    }
    p.check();
    if (epoch == null) {
      throw DomainException.invalid("epoch", "is required");
    }
    return new LeaseRef(caller, id, index, epoch, leaseToken);
  }

  /** What a fail report names, with the defaults of absent fields. */
  static JobError failure(String reason, String message) {
    Text.linesOfText(reason, "reason");
    Text.linesOfText(message, "message");
    return new JobError(
        reason == null ? "WORKER_ERROR" : reason,
        message == null ? "the worker reported a failure" : message);
  }

  /** The stop instruction of a heartbeat answer, or null. */
  static StopBody stop(HeartbeatAnswer answer) {
    return answer.stop() == null
        ? null
        : new StopBody(
            answer.stop().mode().name().toLowerCase(Locale.ROOT), answer.stop().deadline());
  }

  static String outputJson(ObjectNode output) {
    if (output == null) {
      return null;
    }
    try {
      String json = JsonMapping.text(output);
      if (json.getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_BYTES) {
        throw DomainException.invalid(
            "output", "must be at most " + MAX_OUTPUT_BYTES + " bytes of JSON");
      }
      return json;
    } catch (JsonProcessingException e) {
      throw DomainException.invalid("output", "is not a JSON object");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }
}
