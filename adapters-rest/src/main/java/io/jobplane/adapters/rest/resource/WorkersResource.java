package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.databind.ObjectWriter;
import io.jobplane.adapters.rest.dto.WorkerListDtos.WorkerListResponse;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.WorkersUseCase;
import io.jobplane.application.port.in.WorkersUseCase.WorkerQuery;
import io.jobplane.domain.Text;
import io.jobplane.domain.query.LabelSelector;
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

/** The live workers: names, hosts, labels, queues and the tasks they hold. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "workers")
@Singleton
public class WorkersResource {

  private static final ObjectWriter LIST_JSON = JsonMapping.writerFor(WorkerListResponse.class);

  private final WorkersUseCase workers;

  @Inject
  public WorkersResource(WorkersUseCase workers) {
    this.workers = workers;
  }

  @GET
  @Operation(
      operationId = "listWorkers",
      summary = "Live workers",
      description =
          "Workers that claimed (POST /api/v1/leases) in the last 30 s, by name: host, labels,"
              + " queues, the tasks they hold and when they were first and last seen. Read access"
              + " (viewer and up). A token limited to projects sees only workers whose token is"
              + " limited to one of its projects, and only their tasks of jobs of its projects;"
              + " workers with an unscoped token are listed to unscoped callers only.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the live workers the caller may see",
            content = @Content(schema = @Schema(implementation = WorkerListResponse.class)))
      })
  public Response list(
      @Context SecurityContext security,
      @Parameter(description = "label selector, e.g. zone=eu,gpu,!spot (as the jobs list's)")
          @QueryParam("labels")
          String labels,
      @Parameter(description = "only workers polling this queue") @QueryParam("queue") String queue,
      @Parameter(
              description = "at most this many workers (1 to " + WorkersUseCase.MAX_LIMIT + ")",
              schema = @Schema(defaultValue = "100"))
          @QueryParam("limit")
          String limit) {
    Params params = new Params();
    LabelSelector selector = params.parse("labels", () -> LabelSelector.parse(labels));
    String inQueue =
        queue == null ? null : params.parse("queue", () -> Text.identifier(queue, "queue"));
    Integer max = params.integer("limit", limit, 1, WorkersUseCase.MAX_LIMIT);
    params.check();
    WorkerQuery query =
        new WorkerQuery(selector, inQueue, max == null ? WorkersUseCase.DEFAULT_LIMIT : max);
    return Response.ok(
            JsonMapping.bytes(
                LIST_JSON, WorkerListResponse.from(workers.list(Callers.of(security), query))))
        .build();
  }
}
