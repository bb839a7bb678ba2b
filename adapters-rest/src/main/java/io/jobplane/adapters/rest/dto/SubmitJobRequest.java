package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The body of POST /api/v1/jobs. Only these fields are accepted; anything else (status, attempt,
 * created_by, version...) is refused with 400, so a client cannot assign server-owned fields. A
 * schedule shows its job template in this shape; fields it does not set are left out there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "SubmitJobRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record SubmitJobRequest(
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            maxLength = 200,
            example = "nightly report")
        String name,
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "report") String type,
    @Schema(
            // the default is in words only: a schema default makes generated clients send it,
            // also in a job graph's node, whose project is the graph's
            description = "the project of the job; default: default")
        String project,
    @Schema(description = "Kubernetes-style labels") Map<String, String> labels,
    @Schema(type = "object", description = "any JSON object, at most 64 KiB") ObjectNode input,
    @Schema(defaultValue = "3", minimum = "1", maximum = "100") Integer maxAttempts,
    @Schema(defaultValue = "0", minimum = "-1000", maximum = "1000") Integer priority,
    @Schema(defaultValue = "default") String queue,
    @Schema(
            defaultValue = "worker",
            allowableValues = {"worker", "kubernetes"})
        String runtime,
    @Schema(minimum = "1") Integer timeoutSeconds,
    @Schema(defaultValue = "1", minimum = "1", maximum = "1000") Integer parallelism,
    @Schema(defaultValue = "false", description = "keep the job out of the queue until resumed")
        Boolean suspend,
    @Schema(description = "what the worker runs: program and arguments, 1 to 256 strings")
        List<String> command,
    @Schema(
            description =
                "environment for the command, at most 128 variables: each a string, or"
                    + " {\"secret\": <name>, \"key\": <key>} for a key of a secret of the"
                    + " project (resolved for the lease holder only). A kubernetes job takes only"
                    + " references here (Secrets of its namespace); its plain variables belong in"
                    + " its pod_template",
            additionalPropertiesSchema = EnvBody.EnvValue.class)
        Map<String, JsonNode> env,
    @Schema(description = "required with runtime kubernetes: namespace and pod_template")
        KubernetesPlacementBody kubernetes,
    @ArraySchema(
            maxItems = JobDependencies.MAX_JOBS,
            uniqueItems = true,
            schema = @Schema(format = "uuid"),
            arraySchema =
                @Schema(
                    description =
                        "ids of jobs of the same project this one waits for: it stays PENDING"
                            + " (waiting.reason DEPENDENCIES) until all of them have ended as"
                            + " dependency_condition requires, and ends SKIPPED if one ends"
                            + " otherwise. Runtime worker only; not with suspend"))
        List<UUID> dependsOn,
    @Schema(
            allowableValues = {"succeeded", "finished"},
            // the default is in words only: a schema default makes generated clients send it on
            // every submit, with or without depends_on
            description = DEPENDENCY_CONDITION)
        String dependencyCondition,
    @Schema(
            description =
                "runtime worker: only workers whose labels match this label selector (e.g."
                    + " zone=eu,gpu) claim the job's tasks; the same as placement.worker_selector")
        String workerSelector,
    @Schema(
            description =
                "runtime worker: which workers run the tasks; mode broadcast runs one task on each"
                    + " live matching worker")
        PlacementBody placement) {

  /** How dependency_condition is documented, for a job and for a graph's node alike. */
  static final String DEPENDENCY_CONDITION =
      "with depends_on: succeeded (the default: each must end SUCCEEDED) or finished (any end)";

  /**
   * The depends_on of this body, or null. An empty list waits for nothing, as an absent one does
   * (generated clients send {@code []} for a list they were not given); a condition without jobs to
   * apply it to is refused.
   */
  public JobDependencies dependencies() {
    if (dependsOn == null || dependsOn.isEmpty()) {
      if (dependencyCondition != null) {
        throw DomainException.invalid("dependency_condition", "is only allowed with depends_on");
      }
      return null;
    }
    return new JobDependencies(
        dependsOn.stream().map(JobId::new).toList(),
        JobDependencies.Condition.parse(dependencyCondition));
  }
}
