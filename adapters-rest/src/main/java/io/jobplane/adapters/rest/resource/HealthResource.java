package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.HealthResponse;
import io.jobplane.adapters.rest.problem.Problems;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Liveness and readiness probes; no token needed. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "operations")
@Singleton
public class HealthResource {

  private final CheckReadinessUseCase readiness;

  @Inject
  public HealthResource(CheckReadinessUseCase readiness) {
    this.readiness = readiness;
  }

  @GET
  @Path("healthz")
  @SecurityRequirements
  @Operation(
      operationId = "getHealth",
      summary = "Liveness: the process serves requests",
      responses =
          @ApiResponse(
              responseCode = "200",
              description = "the process is alive",
              content = @Content(schema = @Schema(implementation = HealthResponse.class))))
  public HealthResponse health() {
    return HealthResponse.UP;
  }

  @GET
  @Path("readyz")
  @SecurityRequirements
  @Operation(
      operationId = "getReadiness",
      summary = "Readiness: the store answers",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "ready to serve: the database answers",
            content = @Content(schema = @Schema(implementation = HealthResponse.class))),
        @ApiResponse(responseCode = "503", ref = "Problem")
      })
  public Response ready(@Context UriInfo uriInfo) {
    if (readiness.isReady()) {
      return Response.ok(HealthResponse.UP).build();
    }
    return Problems.response(
        503,
        "not-ready",
        "Service Unavailable",
        "the job store is not reachable, or the server is shutting down",
        Problems.instance(uriInfo),
        List.of());
  }
}
