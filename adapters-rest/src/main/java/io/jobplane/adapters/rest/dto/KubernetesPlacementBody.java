package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.KubernetesPlacement;
import io.swagger.v3.oas.annotations.media.Schema;

/** Where a {@code runtime: kubernetes} job runs: its resource's namespace and name, its pods. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "KubernetesPlacement")
public record KubernetesPlacementBody(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 63, example = "analytics")
        String namespace,
    @Schema(
            maxLength = KubernetesPlacement.MAX_RESOURCE_NAME,
            description = "name of the jobs.jobplane.io resource; default job-<id>")
        String name,
    @Schema(
            type = "object",
            description =
                "a Kubernetes PodTemplateSpec (metadata and spec) for the job's pods, at most 64 KiB;"
                    + " required on submit")
        ObjectNode podTemplate) {

  public static KubernetesPlacementBody from(KubernetesPlacement k8s) {
    if (k8s == null) {
      return null;
    }
    return new KubernetesPlacementBody(
        k8s.namespace(),
        k8s.resourceName(),
        k8s.podTemplate() == null ? null : (ObjectNode) JobResponse.parseObject(k8s.podTemplate()));
  }
}
