package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/**
 * The jobs a {@code JobSchedule} starts, nested as a CronJob nests its {@code jobTemplate.spec}:
 * the spec of a {@code Job} resource. The run controls of a single job (desiredState, restartNonce,
 * fromCheckpoint, suspend, ttlSecondsAfterFinished) are refused here; the schedule has its own.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobTemplate {

  @Required
  @JsonPropertyDescription(
      "The spec of each Job resource the schedule starts (as for kind Job); each job is named"
          + " after its id.")
  private JobSpec spec;

  public JobSpec getSpec() {
    return spec;
  }

  public void setSpec(JobSpec spec) {
    this.spec = spec;
  }
}
