package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.dto.QueueDtos.QueueListResponse;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.QueueOverviewUseCase;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

/** The queues overview: per queue of the caller's projects, what waits and runs, and why. */
@Path("/api/v1/queues")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "queues")
@Singleton
public class QueuesResource {

  private static final ObjectWriter LIST_JSON = JsonMapping.writerFor(QueueListResponse.class);

  private final QueueOverviewUseCase queues;

  @Inject
  public QueuesResource(QueueOverviewUseCase queues) {
    this.queues = queues;
  }

  @GET
  @Operation(
      operationId = "listQueues",
      summary = "Queues of the caller's projects",
      description =
          "Per project and queue with unfinished jobs: jobs queued and running, how long the"
              + " oldest has waited, the workers that polled the queue in the last 30 s and why"
              + " jobs wait (the queue-level form of a job's waiting.reason). At most "
              + QueueOverviewUseCase.MAX_QUEUES
              + " queues, by project and name; truncated says when there were more.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the queues the caller may see",
            content = @Content(schema = @Schema(implementation = QueueListResponse.class)))
      })
  public Response list(
      @Context SecurityContext security,
      @Parameter(description = "only this project's queues; refused (403) if not the caller's")
          @QueryParam("project")
          String project) {
    var overview =
        queues.overview(
            Callers.of(security), project == null || project.isBlank() ? null : project.trim());
    return Response.ok(JsonMapping.bytes(LIST_JSON, QueueListResponse.from(overview))).build();
  }
}
