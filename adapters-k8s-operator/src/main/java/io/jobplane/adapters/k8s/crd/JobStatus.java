package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed; written only through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobStatus {

  @JsonPropertyDescription("The lifecycle state, as in the REST API.")
  private JobPhase phase;

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Progress of the current run in percent (0..100).")
  private Double progress;

  @Min(1)
  @JsonPropertyDescription("The current run; a restart starts the next one.")
  private Integer runId;

  @JsonPropertyDescription("The job's id in the store, also its REST id.")
  private String jobId;

  @Min(1)
  @JsonPropertyDescription("The attempt of the current run.")
  private Integer attempt;

  @JsonPropertyDescription("When the current run started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the current run finished (RFC 3339).")
  private String completionTime;

  // a printer column cannot subtract two times, so the operator writes the difference once the
  // run has both; while it runs, Age and startTime tell how long it has been going
  @JsonPropertyDescription(
      "How long the current run took, from startTime to completionTime (e.g. 4m12s); set once it"
          + " finished.")
  private String duration;

  @Size(max = 253)
  @JsonPropertyDescription("The spec.restartNonce the current run was started for.")
  private String observedRestartNonce;

  @JsonPropertyDescription("The metadata.generation this status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Succeeded, Failed and the terminal Finished condition.")
  private List<JobCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Why the job failed or was rejected.")
  private String message;

  @Size(max = 63)
  @JsonPropertyDescription(
      "The batch/v1 Job of the current run, once created; if it disappears before the run ends,"
          + " the run fails with reason BatchJobDeleted.")
  private String batchJob;

  public String getBatchJob() {
    return batchJob;
  }

  public void setBatchJob(String batchJob) {
    this.batchJob = batchJob;
  }

  public JobPhase getPhase() {
    return phase;
  }

  public void setPhase(JobPhase phase) {
    this.phase = phase;
  }

  public Double getProgress() {
    return progress;
  }

  public void setProgress(Double progress) {
    this.progress = progress;
  }

  public Integer getRunId() {
    return runId;
  }

  public void setRunId(Integer runId) {
    this.runId = runId;
  }

  public String getJobId() {
    return jobId;
  }

  public void setJobId(String jobId) {
    this.jobId = jobId;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public String getDuration() {
    return duration;
  }

  public void setDuration(String duration) {
    this.duration = duration;
  }

  public String getObservedRestartNonce() {
    return observedRestartNonce;
  }

  public void setObservedRestartNonce(String observedRestartNonce) {
    this.observedRestartNonce = observedRestartNonce;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<JobCondition> getConditions() {
    return conditions;
  }

  public void setConditions(List<JobCondition> conditions) {
    this.conditions = conditions;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
