package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.JobGraphDtos.JobGraphListResponse;
import io.jobplane.adapters.rest.dto.JobGraphDtos.JobGraphRequest;
import io.jobplane.adapters.rest.dto.JobGraphDtos.JobGraphResponse;
import io.jobplane.adapters.rest.dto.JobGraphDtos.NodeRequest;
import io.jobplane.adapters.rest.dto.SubmitJobRequest;
import io.jobplane.application.port.in.JobGraphsUseCase;
import io.jobplane.application.port.in.SubmitJobGraphCommand;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.DomainException.FieldError;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.Labels;
import io.jobplane.domain.Text;
import io.jobplane.domain.graph.GraphNode;
import io.jobplane.domain.graph.JobGraphId;
import io.jobplane.domain.graph.JobGraphSpec;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
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
import java.util.ArrayList;
import java.util.List;

/**
 * The job graphs API: a small DAG of jobs submitted at once, read and listed as a group. Its jobs
 * are ordinary jobs labelled {@code jobplane.io/graph=<id>}, so the jobs list and its live stream
 * follow a graph with {@code ?labels=jobplane.io/graph=<id>}.
 */
@Path("/api/v1/job-graphs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "job-graphs")
@Singleton
public class JobGraphsResource {

  private final JobGraphsUseCase graphs;

  @Inject
  public JobGraphsResource(JobGraphsUseCase graphs) {
    this.graphs = graphs;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      operationId = "submitJobGraph",
      summary = "Submit a graph of jobs",
      description =
          "Creates every node's job in one transaction, in dependency order, exactly as POST"
              + " /api/v1/jobs would (same validation, defaults and rights); a node's depends_on"
              + " names other nodes. Nothing is stored when any node is refused. Errors name"
              + " their field in the body, e.g. nodes[2].depends_on[0] or nodes[1].job.type; a"
              + " cycle is named in the message. With an Idempotency-Key, a retried request"
              + " returns the graph the first one created (200, Idempotent-Replayed: true).",
      responses = {
        @ApiResponse(
            responseCode = "201",
            description = "created",
            content = @Content(schema = @Schema(implementation = JobGraphResponse.class))),
        @ApiResponse(responseCode = "409", ref = "Problem"),
        @ApiResponse(responseCode = "422", ref = "Problem")
      })
  public Response submit(
      @Context SecurityContext security,
      @Context UriInfo uriInfo,
      @BeanParam IdempotencyKeyParam idempotencyKey,
      @RequestBody(required = true) JobGraphRequest body) {
    Caller caller = Callers.of(security);
    var submitted =
        graphs.submit(
            new SubmitJobGraphCommand(
                caller,
                body == null ? null : body.project(),
                idempotencyKey.value,
                () -> spec(body)));
    JobGraphResponse graph = JobGraphResponse.from(submitted.graph());
    Response.ResponseBuilder response =
        Submissions.answer(submitted.created(), uriInfo, "api/v1/job-graphs", graph.id());
    return response.entity(graph).build();
  }

  @GET
  @Operation(
      operationId = "listJobGraphs",
      summary = "List job graphs",
      description =
          "Newest first, each with its nodes and their statuses. Page with the next_cursor of"
              + " the previous page.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "a page of the caller's graphs",
            content = @Content(schema = @Schema(implementation = JobGraphListResponse.class))),
      })
  public JobGraphListResponse list(
      @Context SecurityContext security,
      @Parameter(description = "only this project's graphs") @QueryParam("project") String project,
      @Parameter(
              schema =
                  @Schema(
                      type = "integer",
                      minimum = "1",
                      maximum = "" + JobGraphsUseCase.MAX_LIST,
                      defaultValue = "" + JobGraphsUseCase.DEFAULT_LIST))
          @QueryParam("limit")
          String limit,
      @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor")
          String cursor) {
    Caller caller = Callers.of(security);
    Params p = new Params();
    Integer max = p.integer("limit", limit, 1, JobGraphsUseCase.MAX_LIST);
    if (project != null) {
      // a project that cannot exist is the caller's mistake, and never reaches a query
      p.parse("project", () -> Text.identifier(project, "project"));
    }
    p.check();
    JobGraphsUseCase.Page page =
        graphs.list(caller, project, max == null ? JobGraphsUseCase.DEFAULT_LIST : max, cursor);
    return new JobGraphListResponse(
        page.items().stream().map(JobGraphResponse::from).toList(), page.nextCursor());
  }

  @GET
  @Path("{id}")
  @Operation(
      operationId = "getJobGraph",
      summary = "Get a job graph",
      description = "The graph, each node's job and status, and the graph's aggregate status.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "the graph",
            content = @Content(schema = @Schema(implementation = JobGraphResponse.class)))
      })
  public JobGraphResponse get(@Context SecurityContext security, @PathParam("id") String id) {
    Caller caller = Callers.of(security);
    Params p = new Params();
    JobGraphId graphId = p.parse("id", () -> JobGraphId.parse(id));
    p.check();
    return JobGraphResponse.from(graphs.get(caller, graphId));
  }

  /** The body as a spec; every error names its field, all of the nodes' at once. */
  private static JobGraphSpec spec(JobGraphRequest body) {
    Bodies.required(body);
    String project = body.project() == null ? JobDefinition.DEFAULT_PROJECT : body.project();
    List<NodeRequest> requested = body.nodes() == null ? List.of() : body.nodes();
    if (requested.size() > JobGraphSpec.MAX_NODES) {
      throw DomainException.invalid(
          "nodes",
          "must have at most " + JobGraphSpec.MAX_NODES + " nodes, not " + requested.size());
    }
    List<FieldError> errors = new ArrayList<>();
    List<GraphNode> nodes = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      try {
        nodes.add(node(requested.get(i), project, "nodes[" + i + "]."));
      } catch (DomainException e) {
        errors.addAll(
            e.errors().isEmpty()
                ? List.of(new FieldError("nodes[" + i + "]", e.getMessage()))
                : e.errors());
      }
    }
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          errors.get(0).field() + ": " + errors.get(0).message(),
          errors);
    }
    return new JobGraphSpec(project, body.name(), new Labels(body.labels()), nodes);
  }

  private static GraphNode node(NodeRequest node, String project, String at) {
    if (node == null) {
      throw DomainException.invalid(at + "name", "is required: a node is an object");
    }
    SubmitJobRequest job = node.job();
    if (job == null) {
      throw DomainException.invalid(at + "job", "is required: the body of POST /api/v1/jobs");
    }
    if (job.project() != null && !job.project().equals(project)) {
      throw DomainException.invalid(
          at + "job.project", "must be the graph's project '" + project + "' or left out");
    }
    // generated clients send suspend false and an empty depends_on for fields they were not given
    if (Boolean.TRUE.equals(job.suspend())) {
      throw DomainException.invalid(at + "job.suspend", "is not supported in a graph");
    }
    if ((job.dependsOn() != null && !job.dependsOn().isEmpty())
        || job.dependencyCondition() != null) {
      throw DomainException.invalid(
          at + "job.depends_on", "name the nodes it waits for in the node's depends_on");
    }
    boolean waits = node.dependsOn() != null && !node.dependsOn().isEmpty();
    if (node.dependencyCondition() != null && !waits) {
      throw DomainException.invalid(at + "dependency_condition", "is only allowed with depends_on");
    }
    JobDependencies.Condition condition;
    try {
      condition = JobDependencies.Condition.parse(node.dependencyCondition());
    } catch (DomainException e) {
      throw DomainException.invalid(at + "dependency_condition", "must be succeeded or finished");
    }
    JobDefinition definition;
    try {
      definition = JobDefinitions.from(job, project);
    } catch (DomainException e) {
      throw e.under(at + "job.");
    }
    return new GraphNode(node.name(), node.dependsOn(), condition, definition);
  }
}
