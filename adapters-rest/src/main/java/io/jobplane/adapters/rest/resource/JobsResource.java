package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.dto.EventPageResponse;
import io.jobplane.adapters.rest.dto.JobListResponse;
import io.jobplane.adapters.rest.dto.JobResponse;
import io.jobplane.adapters.rest.dto.SubmitJobRequest;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.query.PageRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;

/**
 * The jobs API: submit, read and list jobs and read their timelines. Control operations are in
 * {@link JobsTransitionsResource}; tasks, telemetry, output and live watches in their own resources
 * under the same path.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs")
@Singleton
public class JobsResource {

  private static final int RECENT_EVENTS = 10;

  private static final ObjectWriter LIST_JSON = JsonMapping.writerFor(JobListResponse.class);
  private static final ObjectWriter EVENTS_JSON = JsonMapping.writerFor(EventPageResponse.class);
  private static final ObjectWriter TREE_JSON = JsonMapping.writerFor(JsonNode.class);

  private final SubmitJobUseCase submitJobs;
  private final QueryJobsUseCase queryJobs;
  private final ControlJobUseCase controlJobs;
  private final WorkerProtocolUseCase workerProtocol;
  private final TelemetryQueries telemetry;
  private final Clock clock;

  /**
   * One instance serves every request (no per-request injection); what belongs to a request, its
   * security context and URI, comes in as method parameters.
   */
  @Inject
  public JobsResource(
      SubmitJobUseCase submitJobs,
      QueryJobsUseCase queryJobs,
      ControlJobUseCase controlJobs,
      WorkerProtocolUseCase workerProtocol,
      TelemetryQueries telemetry,
      Clock clock) {
    this.submitJobs = submitJobs;
    this.queryJobs = queryJobs;
    this.controlJobs = controlJobs;
    this.workerProtocol = workerProtocol;
    this.telemetry = telemetry;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "submitJob",
      summary = "Submit a job",
      description =
          "Creates a job in QUEUED (or SUSPENDED with suspend=true). When a worker's claim"
              + " waits on its queue on this server, the job is leased to it in the same"
              + " transaction and answered RUNNING. With an Idempotency-Key, a"
              + " retried request returns the job the first one created (200,"
              + " Idempotent-Replayed: true); the same key with another body is refused with 422.",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "created",
            headers = {
              @Header(
                  name = "Location",
                  description = "the URL of what was created",
                  schema = @Schema(type = "string")),
              @Header(
                  name = "ETag",
                  description = "the job's version",
                  schema = @Schema(type = "string"))
            },
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "413", ref = "Problem"),
        @ApiResponse(responseCode = "422", ref = "Problem")
      })
  public Response submit(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @BeanParam IdempotencyKeyParam idempotencyKey,
      @RequestBody(required = true) SubmitJobRequest body) {
    Caller caller = Callers.of(security);
    Bodies.required(body);
    JobDefinition definition = JobDefinitions.from(body);
    var submitted =
        submitJobs.submit(
            new SubmitJobCommand(
                caller,
                definition,
                Boolean.TRUE.equals(body.suspend()),
                idempotencyKey.value,
                body.dependencies()));
    JobSnapshot job = submitted.job();
    Response.ResponseBuilder response =
        Submissions.answer(submitted.created(), uriInfo, "api/v1/jobs", job.id());
    return response
        .tag(JobAnswers.etag(job))
        .entity(JobAnswers.json(JobResponse.from(job, now())))
        .build();
  }

  @GET
  @Operation(
      operationId = "listJobs",
      summary = "List jobs",
      description =
          "Filters combine with AND. Page with offset, or with the next_cursor of the previous"
              + " page (never both). status_counts counts the jobs matching every filter but"
              + " status. expand adds parts of each job that single-job reads show (tasks,"
              + " timeline, items, output), each bounded per job and read once for the whole"
              + " page; fields keeps only the named fields of each item. The event stream of"
              + " this path takes neither.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of jobs with per-status counts",
            content = @Content(schema = @Schema(implementation = JobListResponse.class))),
      })
  public Response list(
      @Context SecurityContext security,
      @BeanParam JobListParams params,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
          @QueryParam("limit")
          String limit,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
          @QueryParam("offset")
          String offset,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Caller caller = Callers.of(security);
    JobListParams.ListRequest request = params.read(caller, limit, offset, cursor);
    var jobs = queryJobs.list(caller, request.query(), request.expand());
    var estimates =
        telemetry.estimatedSecondsRemaining(
            caller,
            jobs.page().page().items().stream()
                .filter(j -> !j.status().isTerminal())
                .map(JobSnapshot::id)
                .toList());
    JobListResponse list =
        JobListResponse.from(jobs, now(), estimates, JobAnswers.revealsEnv(caller));
    return Response.ok(
            request.fields() == null
                ? JsonMapping.bytes(LIST_JSON, list)
                : trimmed(list, request.fields()))
        .build();
  }

  /** The list with each item cut down to {@code fields} (?fields=); the page's own fields stay. */
  private static byte[] trimmed(JobListResponse list, Set<String> fields) {
    ObjectNode tree = JsonMapping.mapper().valueToTree(list);
    tree.withArray("items").forEach(item -> ((ObjectNode) item).retain(fields));
    return JsonMapping.bytes(TREE_JSON, tree);
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getJob",
      summary = "Get a job",
      description =
          "A QUEUED job (or a RUNNING one with queued tasks) also tells why it still waits"
              + " (waiting: position in its queue, exact up to "
              + QueueWait.POSITION_CAP
              + ", past it the cap with position_is_lower_bound true; reason NO_WORKER,"
              + " NO_MATCHING_WORKER, BACKOFF, WORKERS_BUSY or NEXT; active workers); a SUSPENDED"
              + " job has reason"
              + " SUSPENDED.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the job",
            headers =
                @Header(
                    name = "ETag",
                    description = "the job's version",
                    schema = @Schema(type = "string")),
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
      })
  public Response get(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @Parameter(description = "adds extras.recent_events (newest 10)") @QueryParam("verbose")
          String verbose) {
    Caller caller = Callers.of(security);
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    boolean verboseOn = p.bool("verbose", verbose);
    p.check();
    // one statement reads the job, its run and its estimate (a queued run adds its position);
    // the checks of read access and visibility happen there
    WorkerProtocolUseCase.JobView view = workerProtocol.view(caller, jobId);
    JobSnapshot job = view.job();
    var recent = verboseOn ? queryJobs.latestEvents(caller, jobId, RECENT_EVENTS) : null;
    return Response.ok(
            JobAnswers.json(
                JobResponse.from(
                    job,
                    now(),
                    recent,
                    TaskSummary.of(view.tasks()),
                    view.estimatedSecondsRemaining(),
                    view.waiting().orElse(null),
                    JobAnswers.revealsEnv(caller).test(job.definition().project()))))
        .tag(JobAnswers.etag(job))
        .build();
  }

  @GET
  @Path("{id}/events")
  @Operation(
      operationId = "listJobEvents",
      summary = "The job's timeline, oldest first, across all runs",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of the job's timeline events",
            content = @Content(schema = @Schema(implementation = EventPageResponse.class)))
      })
  public Response events(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id,
      @Parameter(
              schema =
                  @Schema(type = "integer", minimum = "1", maximum = "100", defaultValue = "20"))
          @QueryParam("limit")
          String limit,
      @Parameter(schema = @Schema(type = "integer", minimum = "0", defaultValue = "0"))
          @QueryParam("offset")
          String offset) {
    Caller caller = Callers.of(security);
    Params p = new Params();
    JobId jobId = p.parse("id", () -> JobId.parse(id));
    Params.OffsetPage pg =
        p.offsetPage(limit, offset, PageRequest.MAX_LIMIT, PageRequest.DEFAULT_LIMIT);
    p.check();
    EventPageResponse page =
        EventPageResponse.from(queryJobs.timeline(caller, jobId, pg.limit(), pg.offset()));
    return Response.ok(JsonMapping.bytes(EVENTS_JSON, page)).build();
  }

  @DELETE
  @Path("{id}")
  // no body to answer: a client that accepts only problem+json (what the document lists for
  // this operation, so what generated clients send) must not get 406
  @Produces({MediaType.APPLICATION_JSON, ProblemDetail.MEDIA_TYPE})
  @Operation(
      operationId = "deleteJob",
      summary = "Delete a finished job and its timeline",
      responses = {
        @ApiResponse(responseCode = "204", description = "deleted"),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response delete(
      @Context SecurityContext security,
      @Parameter(schema = @Schema(format = "uuid")) @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    controlJobs.delete(caller, Params.jobId("id", id));
    return Response.noContent().build();
  }

  // ----------------------------------------------------------------------------------------------

  private Instant now() {
    return clock.instant();
  }
}
