package io.jobplane.adapters.k8s.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * When and what a {@code JobSchedule} runs, in a CronJob's field names. The bounds mirror {@code
 * io.jobplane.domain.schedule.ScheduleSpec}, so {@code kubectl apply} refuses what the store would;
 * the cron expression and the time zone are read by the operator, which rejects the resource with a
 * message when they are wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobScheduleSpec {

  @Required
  @Size(min = 1, max = 200)
  @JsonPropertyDescription(
      "Cron expression: 5 fields (minute hour day-of-month month day-of-week), 6 with a leading"
          + " seconds field, or @yearly, @monthly, @weekly, @daily, @hourly.")
  private String schedule;

  @Default("UTC")
  @Size(min = 1, max = 64)
  @JsonPropertyDescription(
      "The IANA time zone the schedule is read in (e.g. Europe/Berlin); daylight saving time is"
          + " the zone's.")
  private String timeZone;

  @Required
  @JsonPropertyDescription("The Job the schedule starts at each tick.")
  private JobTemplate jobTemplate;

  @Default("Allow")
  @JsonPropertyDescription(
      "While an earlier job of the schedule has not finished: Allow another, Forbid (skip the"
          + " tick) or Replace (stop it, start the new one).")
  private ConcurrencyPolicy concurrencyPolicy;

  @Min(1)
  @Max(31 * 24 * 3600)
  @JsonPropertyDescription("A tick missed by more than this many seconds is not started.")
  private Integer startingDeadlineSeconds;

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "How many missed ticks are started after a pause (e.g. the server was down); the most"
          + " recent ones.")
  private Integer maxCatchUp;

  @Default("false")
  @JsonPropertyDescription("Start no jobs while true; jobs already started go on.")
  private Boolean suspend;

  @Default("3")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Succeeded jobs of the schedule kept; older ones are deleted.")
  private Integer successfulJobsHistoryLimit;

  @Default("1")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "Jobs of the schedule that ended otherwise (failed, stopped, timed out...) kept.")
  private Integer failedJobsHistoryLimit;

  public String getSchedule() {
    return schedule;
  }

  public void setSchedule(String schedule) {
    this.schedule = schedule;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public JobTemplate getJobTemplate() {
    return jobTemplate;
  }

  public void setJobTemplate(JobTemplate jobTemplate) {
    this.jobTemplate = jobTemplate;
  }

  public ConcurrencyPolicy getConcurrencyPolicy() {
    return concurrencyPolicy;
  }

  public void setConcurrencyPolicy(ConcurrencyPolicy concurrencyPolicy) {
    this.concurrencyPolicy = concurrencyPolicy;
  }

  public Integer getStartingDeadlineSeconds() {
    return startingDeadlineSeconds;
  }

  public void setStartingDeadlineSeconds(Integer startingDeadlineSeconds) {
    this.startingDeadlineSeconds = startingDeadlineSeconds;
  }

  public Integer getMaxCatchUp() {
    return maxCatchUp;
  }

  public void setMaxCatchUp(Integer maxCatchUp) {
    this.maxCatchUp = maxCatchUp;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public Integer getSuccessfulJobsHistoryLimit() {
    return successfulJobsHistoryLimit;
  }

  public void setSuccessfulJobsHistoryLimit(Integer successfulJobsHistoryLimit) {
    this.successfulJobsHistoryLimit = successfulJobsHistoryLimit;
  }

  public Integer getFailedJobsHistoryLimit() {
    return failedJobsHistoryLimit;
  }

  public void setFailedJobsHistoryLimit(Integer failedJobsHistoryLimit) {
    this.failedJobsHistoryLimit = failedJobsHistoryLimit;
  }
}
