package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.LimitsDtos.LimitsRequest;
import io.jobplane.adapters.rest.dto.LimitsDtos.LimitsResponse;
import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * A project's limits: {@code max_running} and {@code max_queued}, for the project and per queue,
 * and its fair-share weight (docs/limits.md). Read by whoever may read the project's jobs, set by
 * admins; a project the caller cannot see is 404 for both, revealing nothing.
 */
@Path("/api/v1/projects/{project}/limits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "limits")
@Singleton
public class LimitsResource {

  private final ProjectLimitsUseCase limits;

  @Inject
  public LimitsResource(ProjectLimitsUseCase limits) {
    this.limits = limits;
  }

  @GET
  @Operation(
      operationId = "getLimits",
      summary = "A project's limits and their usage",
      description =
          "The limits (null: none) and how many of the project's jobs run and wait now, in total"
              + " and in each queue the limits name. A project without limits answers all null.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the project's limits and usage",
            content = @Content(schema = @Schema(implementation = LimitsResponse.class)))
      })
  public LimitsResponse get(
      @Context SecurityContext security, @PathParam("project") String project) {
    return LimitsResponse.from(limits.get(Callers.of(security), project));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "putLimits",
      summary = "Set a project's limits",
      description =
          "Replaces the project's limits whole (admin only). Running limits apply from the next"
              + " claim; jobs already running are never stopped. Queued limits apply from the next"
              + " submit; jobs already waiting stay.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the limits as stored, with their usage",
            content = @Content(schema = @Schema(implementation = LimitsResponse.class)))
      })
  public LimitsResponse put(
      @Context SecurityContext security,
      @PathParam("project") String project,
      @RequestBody(
              required = true,
              content = @Content(schema = @Schema(implementation = LimitsRequest.class)))
          LimitsRequest body) {
    // visibility and role before the body is judged: an invisible project answers 404 whatever
    // the body holds
    return LimitsResponse.from(
        limits.put(Callers.of(security), project, () -> Bodies.required(body).toLimits()));
  }
}
