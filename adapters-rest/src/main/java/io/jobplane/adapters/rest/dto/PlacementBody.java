package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.json.WireNames;
import io.jobplane.domain.WorkerPlacement;
import io.swagger.v3.oas.annotations.media.Schema;

/** Which workers run a worker job's tasks (docs/worker-protocol.md, "Worker labels"). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Placement", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
public record PlacementBody(
    @Schema(
            allowableValues = {"any", "broadcast"},
            description =
                "any (the default): each task goes to one matching worker; broadcast: one task per"
                    + " live matching worker, each bound to that worker")
        String mode,
    @Schema(
            description =
                "label selector the worker's labels must match, e.g. zone=eu,gpu,!spot; absent:"
                    + " every worker")
        String workerSelector,
    @Schema(
            description =
                "broadcast only: a matching worker that starts claiming while the job runs gets a"
                    + " task too")
        Boolean includeLateJoiners) {

  public static PlacementBody from(WorkerPlacement p) {
    return p == null
        ? null
        : new PlacementBody(
            WireNames.of(p.mode()),
            p.workerSelector(),
            p.isBroadcast() ? p.includeLateJoiners() : null);
  }
}
