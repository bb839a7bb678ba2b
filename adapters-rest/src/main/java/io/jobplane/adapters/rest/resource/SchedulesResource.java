package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.JobResponse;
import io.jobplane.adapters.rest.dto.ScheduleDtos.ScheduleListResponse;
import io.jobplane.adapters.rest.dto.ScheduleDtos.ScheduleRequest;
import io.jobplane.adapters.rest.dto.ScheduleDtos.ScheduleResponse;
import io.jobplane.application.port.in.SchedulesUseCase;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.schedule.ConcurrencyPolicy;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
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
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** The schedules API: jobs started on a cron rule, and run on demand. */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "schedules")
@Singleton
public class SchedulesResource {

  private final SchedulesUseCase schedules;
  private final Clock clock;

  @Inject
  public SchedulesResource(SchedulesUseCase schedules, Clock clock) {
    this.schedules = schedules;
    this.clock = clock;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "createSchedule",
      summary = "Create a schedule",
      description =
          "The job template is validated exactly like POST /api/v1/jobs (its errors name"
              + " job.<field>); the schedule belongs to the template's project.",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = ScheduleResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response create(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @RequestBody(required = true) ScheduleRequest body) {
    Caller caller = Callers.of(security);
    ScheduleView created = schedules.create(caller, () -> spec(body));
    return Locations.created(uriInfo, "api/v1/schedules", created.schedule().id().toString())
        .entity(ScheduleResponse.from(created, true))
        .build();
  }

  @GET
  @Operation(
      operationId = "listSchedules",
      summary = "List schedules",
      description = "By project and name; at most 500.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the caller's schedules, by project and name",
            content = @Content(schema = @Schema(implementation = ScheduleListResponse.class))),
      })
  public ScheduleListResponse list(
      @Context SecurityContext security,
      @Parameter(description = "only this project's schedules") @QueryParam("project")
          String project,
      @Parameter(schema = @Schema(minimum = "1", maximum = "500", defaultValue = "100"))
          @QueryParam("limit")
          String limit) {
    Caller caller = Callers.of(security);
    Params p = new Params();
    Integer max = p.integer("limit", limit, 1, 500);
    p.check();
    List<ScheduleResponse> items =
        schedules.list(caller, project, max == null ? 100 : max).stream()
            .map(v -> ScheduleResponse.from(v, revealsEnv(caller, v)))
            .toList();
    return new ScheduleListResponse(items);
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getSchedule",
      summary = "Get a schedule",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the schedule with its last and next run",
            content = @Content(schema = @Schema(implementation = ScheduleResponse.class)))
      })
  public ScheduleResponse get(@Context SecurityContext security, @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    ScheduleView view = schedules.get(caller, pathId(id));
    return ScheduleResponse.from(view, revealsEnv(caller, view));
  }

  @PUT
  @Path("{id}")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "replaceSchedule",
      summary = "Replace a schedule's spec",
      description = "Ticks are counted from now under the new spec; missed ones are not caught up.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the schedule as stored",
            content = @Content(schema = @Schema(implementation = ScheduleResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public ScheduleResponse replace(
      @Context SecurityContext security,
      @PathParam("id") String id,
      @RequestBody(required = true) ScheduleRequest body) {
    Caller caller = Callers.of(security);
    ScheduleId scheduleId = pathId(id);
    return ScheduleResponse.from(schedules.replace(caller, scheduleId, () -> spec(body)), true);
  }

  @DELETE
  @Path("{id}")
  @Operation(
      operationId = "deleteSchedule",
      summary = "Delete a schedule",
      description = "The jobs it started stay.",
      responses = {@ApiResponse(responseCode = "204", description = "deleted")})
  public Response delete(@Context SecurityContext security, @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    schedules.delete(caller, pathId(id));
    return Response.noContent().build();
  }

  @POST
  @Path("{id}/trigger")
  @Operation(
      operationId = "triggerSchedule",
      summary = "Run the schedule's job now",
      description =
          "Always starts a job, whatever the concurrency policy or suspension (like a manual"
              + " run of a CronJob); its scheduled-time label is now. 409: the schedule ticked or"
              + " changed at the same moment and nothing was started; retry.",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "the job started",
            content = @Content(schema = @Schema(implementation = JobResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem")
      })
  public Response trigger(
      @Context SecurityContext security, @Context UriInfo uriInfo, @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    JobSnapshot job = schedules.trigger(caller, pathId(id));
    return Locations.created(uriInfo, "api/v1/jobs", job.id().toString())
        .entity(JobResponse.from(job, clock.instant()))
        .build();
  }

  /** The body as a spec; every error names its field (the template's as job.<field>). */
  private static ScheduleSpec spec(ScheduleRequest body) {
    Bodies.required(body);
    if (body.job() == null) {
      throw DomainException.invalid("job", "is required: the body of POST /api/v1/jobs");
    }
    if (body.job().suspend() != null) {
      throw DomainException.invalid(
          "job.suspend", "is the schedule's: set suspend on the schedule itself");
    }
    if (body.job().dependsOn() != null || body.job().dependencyCondition() != null) {
      throw DomainException.invalid(
          "job.depends_on", "names jobs that exist now; the jobs of a schedule cannot use it");
    }
    JobDefinition template;
    try {
      template = JobDefinitions.from(body.job());
    } catch (DomainException e) {
      throw e.under("job.");
    }
    return ScheduleSpec.builder()
        .name(body.name())
        .cron(body.cron())
        .timeZone(zone(body.timeZone()))
        .job(template)
        .concurrencyPolicy(policy(body.concurrencyPolicy()))
        .startingDeadlineSeconds(body.startingDeadlineSeconds())
        .maxCatchUp(
            body.maxCatchUp() == null ? ScheduleSpec.DEFAULT_MAX_CATCH_UP : body.maxCatchUp())
        .suspend(Boolean.TRUE.equals(body.suspend()))
        .successfulJobsHistoryLimit(
            body.successfulJobsHistoryLimit() == null
                ? ScheduleSpec.DEFAULT_SUCCESSFUL_HISTORY
                : body.successfulJobsHistoryLimit())
        .failedJobsHistoryLimit(
            body.failedJobsHistoryLimit() == null
                ? ScheduleSpec.DEFAULT_FAILED_HISTORY
                : body.failedJobsHistoryLimit())
        .build();
  }

  private static ZoneId zone(String text) {
    if (text == null) {
      return null;
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw DomainException.invalid(
          "time_zone", "unknown time zone '" + text + "': use an IANA name such as Europe/Berlin");
    }
  }

  private static ConcurrencyPolicy policy(String text) {
    if (text == null) {
      return null;
    }
    try {
      return ConcurrencyPolicy.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("concurrency_policy", "must be allow, forbid or replace");
    }
  }

  /** env values of a template are for those who may change the schedule, as on jobs. */
  private static boolean revealsEnv(Caller caller, ScheduleView view) {
    return caller.canWrite() && caller.sees(view.schedule().spec().project());
  }

  private static ScheduleId pathId(String id) {
    Params p = new Params();
    ScheduleId scheduleId = p.parse("id", () -> ScheduleId.parse(id));
    p.check();
    return scheduleId;
  }
}
