package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.Map;

/**
 * What to run. The schema rules mirror {@code io.jobplane.domain.JobDefinition} so that {@code
 * kubectl apply} rejects a bad spec before the operator sees it; the domain still validates again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.completions) || !has(self.parallelism) || self.completions >= self.parallelism",
    message = "completions must be at least parallelism")
@ValidationRule(
    value = "!has(self.fromCheckpoint) || has(self.restartNonce)",
    message = "fromCheckpoint only applies to a restart: set restartNonce too")
public class JobSpec {

  /** Same rule as the domain's identifiers (Text.identifier), anchored for OpenAPI. */
  static final String IDENTIFIER = "^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$";

  static final int MAX_ATTEMPTS = 100;
  static final int MAX_PARALLELISM = 1000;
  static final int MAX_TIMEOUT_SECONDS = 31 * 24 * 3600;

  @Required
  @Pattern(IDENTIFIER)
  @ValidationRule(value = "self == oldSelf", message = "type is immutable")
  @JsonPropertyDescription("The job type; the runtime that handles it. Immutable.")
  private String type;

  @Default("default")
  @Pattern(IDENTIFIER)
  @ValidationRule(value = "self == oldSelf", message = "project is immutable")
  @JsonPropertyDescription("The project the job belongs to. Immutable.")
  private String project;

  @Size(max = 64)
  @JsonPropertyDescription("Job labels (as in the REST API), at most 64.")
  private Map<String, String> labels;

  @Required
  @JsonPropertyDescription("The pod to run for each task.")
  private PodTemplateSpec podTemplate;

  @Default("1")
  @Min(1)
  @Max(MAX_PARALLELISM)
  @JsonPropertyDescription("How many tasks run at once.")
  private Integer parallelism;

  @Min(1)
  @Max(MAX_PARALLELISM)
  @JsonPropertyDescription("How many indexed tasks must succeed; defaults to parallelism.")
  private Integer completions;

  @Default("1")
  @Min(1)
  @Max(MAX_ATTEMPTS)
  @JsonPropertyDescription("Attempts per run before the job fails.")
  private Integer maxAttempts;

  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  @JsonPropertyDescription("Seconds a run may take before it times out.")
  private Integer timeoutSeconds;

  @Default("false")
  @JsonPropertyDescription("Hold the job before it runs (PENDING -> SUSPENDED).")
  private Boolean suspend;

  @Default("RUNNING")
  @JsonPropertyDescription("RUNNING, or STOPPED to stop the job.")
  private DesiredState desiredState;

  @Size(max = 253)
  @JsonPropertyDescription("Changing it starts a new run of a finished job.")
  private String restartNonce;

  /** The domain's limit for a checkpoint id (Job.restart), so the store never refuses one. */
  static final int MAX_CHECKPOINT = 200;

  @Size(min = 1, max = MAX_CHECKPOINT)
  @JsonPropertyDescription(
      "The checkpoint a restart resumes from: the pods of the run that restartNonce starts get it"
          + " as JOBPLANE_CHECKPOINT, and the job's checkpoint_id in the API says so.")
  private String fromCheckpoint;

  @PreserveUnknownFields
  @JsonPropertyDescription("The job input, free-form JSON handed to the runtime.")
  private JsonNode input;

  @Min(0)
  @JsonPropertyDescription("Seconds after the job finished until the resource is deleted.")
  private Integer ttlSecondsAfterFinished;

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getProject() {
    return project;
  }

  public void setProject(String project) {
    this.project = project;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public PodTemplateSpec getPodTemplate() {
    return podTemplate;
  }

  public void setPodTemplate(PodTemplateSpec podTemplate) {
    this.podTemplate = podTemplate;
  }

  public Integer getParallelism() {
    return parallelism;
  }

  public void setParallelism(Integer parallelism) {
    this.parallelism = parallelism;
  }

  public Integer getCompletions() {
    return completions;
  }

  public void setCompletions(Integer completions) {
    this.completions = completions;
  }

  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public DesiredState getDesiredState() {
    return desiredState;
  }

  public void setDesiredState(DesiredState desiredState) {
    this.desiredState = desiredState;
  }

  public String getRestartNonce() {
    return restartNonce;
  }

  public void setRestartNonce(String restartNonce) {
    this.restartNonce = restartNonce;
  }

  public String getFromCheckpoint() {
    return fromCheckpoint;
  }

  public void setFromCheckpoint(String fromCheckpoint) {
    this.fromCheckpoint = fromCheckpoint;
  }

  public JsonNode getInput() {
    return input;
  }

  public void setInput(JsonNode input) {
    this.input = input;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }
}
