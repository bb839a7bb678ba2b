package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.in.JobGraphsUseCase.JobGraphView;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphSpec;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The wire model of /api/v1/job-graphs. */
public final class JobGraphDtos {

  private JobGraphDtos() {}

  /** The body of POST /api/v1/job-graphs. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobGraphRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record JobGraphRequest(
      @Schema(defaultValue = "default", description = "the project of the graph and its jobs")
          String project,
      @Schema(maxLength = JobGraphSpec.MAX_NAME, example = "nightly etl") String name,
      @Schema(description = "Kubernetes-style labels of the graph (not copied to its jobs)")
          Map<String, String> labels,
      @ArraySchema(
              minItems = 1,
              maxItems = JobGraphSpec.MAX_NODES,
              arraySchema =
                  @Schema(
                      requiredMode = Schema.RequiredMode.REQUIRED,
                      description = "the nodes, each a job; their depends_on must form no cycle"))
          List<NodeRequest> nodes) {}

  /** One node of a graph being submitted. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "JobGraphNodeRequest",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record NodeRequest(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 63,
              example = "extract",
              description =
                  "unique in the graph: 1 to 63 lower-case alphanumerics or '-', starting and"
                      + " ending alphanumeric")
          String name,
      @ArraySchema(
              maxItems = JobGraphSpec.MAX_NODES,
              uniqueItems = true,
              arraySchema =
                  @Schema(
                      description =
                          "names of nodes of this graph whose jobs must end first, as"
                              + " dependency_condition requires; the job ends SKIPPED"
                              + " otherwise"))
          List<String> dependsOn,
      @Schema(
              allowableValues = {"succeeded", "finished"},
              description = SubmitJobRequest.DEPENDENCY_CONDITION)
          String dependencyCondition,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description =
                  "the job: the body of POST /api/v1/jobs without project (the graph's),"
                      + " depends_on and suspend")
          SubmitJobRequest job) {}

  /** A node of a graph, with the job that runs it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobGraphNode")
  public record NodeResponse(
      String name,
      List<String> dependsOn,
      @Schema(allowableValues = {"succeeded", "finished"}) String dependencyCondition,
      UUID jobId,
      @Schema(nullable = true, description = "the job's status; null when it was deleted")
          JobStatus status) {}

  /** A graph as clients see it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobGraph")
  public record JobGraphResponse(
      UUID id,
      String project,
      @Schema(nullable = true) String name,
      Map<String, String> labels,
      @Schema(
              allowableValues = {"RUNNING", "SUCCEEDED", "STOPPED", "FAILED"},
              description =
                  "RUNNING while any node's job has not ended; then SUCCEEDED when all"
                      + " succeeded, FAILED when any failed, timed out, was rejected or was"
                      + " deleted (or was skipped with no stop upstream), else STOPPED")
          String status,
      String createdBy,
      Instant createdAt,
      List<NodeResponse> nodes) {

    public static JobGraphResponse from(JobGraphView view) {
      JobGraph g = view.graph();
      return new JobGraphResponse(
          g.id().value(),
          g.project(),
          g.name(),
          g.labels().values(),
          view.status().name(),
          g.createdBy(),
          g.createdAt(),
          g.nodes().stream()
              .map(
                  n ->
                      new NodeResponse(
                          n.name(),
                          n.dependsOn(),
                          n.condition().name().toLowerCase(Locale.ROOT),
                          n.job().value(),
                          view.nodeStatuses().get(n.name())))
              .toList());
    }
  }

  /** A page of graphs, newest first. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "JobGraphList")
  public record JobGraphListResponse(
      List<JobGraphResponse> items,
      @Schema(nullable = true, description = "pass as ?cursor= to read the next page")
          String nextCursor) {}
}
