package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The store's schedule as the operator last read it; written only through /status. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobScheduleStatus {

  @JsonPropertyDescription("The schedule's id in the store, also its REST id.")
  private String scheduleId;

  @JsonPropertyDescription("The latest tick the schedule dealt with (RFC 3339).")
  private String lastScheduledTime;

  @JsonPropertyDescription("When the schedule next starts a job (RFC 3339); none when suspended.")
  private String nextRunTime;

  @JsonPropertyDescription("The job the schedule started last.")
  private LastJob lastJob;

  @JsonPropertyDescription("The metadata.generation this status reflects.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready: True once the store holds the spec; False with reason Rejected.")
  private List<JobCondition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Why the resource was rejected.")
  private String message;

  /** The last job: its store id, the Job resource it runs as, and its phase. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LastJob {

    @JsonPropertyDescription("The job's id in the store, also its REST id.")
    private String id;

    @JsonPropertyDescription("The Job resource (jobplane.io/v1) of the job, in this namespace.")
    private String name;

    @JsonPropertyDescription(
        "The job's lifecycle state, as in the REST API; none once it was deleted.")
    private JobPhase phase;

    public LastJob() {}

    public LastJob(String id, String name, JobPhase phase) {
      this.id = id;
      this.name = name;
      this.phase = phase;
    }

    public String getId() {
      return id;
    }

    public void setId(String id) {
      this.id = id;
    }

    public String getName() {
      return name;
    }

    public void setName(String name) {
      this.name = name;
    }

    public JobPhase getPhase() {
      return phase;
    }

    public void setPhase(JobPhase phase) {
      this.phase = phase;
    }
  }

  public String getScheduleId() {
    return scheduleId;
  }

  public void setScheduleId(String scheduleId) {
    this.scheduleId = scheduleId;
  }

  public String getLastScheduledTime() {
    return lastScheduledTime;
  }

  public void setLastScheduledTime(String lastScheduledTime) {
    this.lastScheduledTime = lastScheduledTime;
  }

  public String getNextRunTime() {
    return nextRunTime;
  }

  public void setNextRunTime(String nextRunTime) {
    this.nextRunTime = nextRunTime;
  }

  public LastJob getLastJob() {
    return lastJob;
  }

  public void setLastJob(LastJob lastJob) {
    this.lastJob = lastJob;
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
