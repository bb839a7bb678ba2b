package io.jobplane.domain.schedule;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.Labels;
import io.jobplane.domain.Text;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What a schedule's owner chooses: when (a cron expression read in a time zone) and what (a job
 * template, validated like a submit). Built with {@link #builder}, which holds the defaults once
 * for every entry path. The cron syntax itself is checked by a {@link CronRule} parser outside the
 * domain; here only its presence and length.
 */
public record ScheduleSpec(
    String name,
    String cron,
    ZoneId timeZone,
    JobDefinition job,
    ConcurrencyPolicy concurrencyPolicy,
    Integer startingDeadlineSeconds,
    int maxCatchUp,
    boolean suspend,
    int successfulJobsHistoryLimit,
    int failedJobsHistoryLimit) {

  public static final int MAX_NAME = 200;
  public static final int MAX_CRON = 200;
  public static final int MAX_CATCH_UP = 100;
  public static final int MAX_HISTORY = 100;
  public static final int MAX_DEADLINE_SECONDS = 31 * 24 * 3600;
  public static final int DEFAULT_MAX_CATCH_UP = 1;
  public static final int DEFAULT_SUCCESSFUL_HISTORY = 3;
  public static final int DEFAULT_FAILED_HISTORY = 1;

  /** The label every job of a schedule carries: the schedule's id. */
  public static final String SCHEDULE_LABEL = "jobplane.io/schedule";

  /** The label with the tick a job was started for, in epoch seconds. */
  public static final String SCHEDULED_TIME_LABEL = "jobplane.io/scheduled-time";

  public ScheduleSpec {
    Text.displayText(name, "name", MAX_NAME);
    if (cron == null || cron.isBlank()) {
      throw DomainException.invalid("cron", "is required");
    }
    if (cron.length() > MAX_CRON) {
      throw DomainException.invalid("cron", "must be at most " + MAX_CRON + " characters");
    }
    cron = cron.strip();
    if (timeZone == null) {
      throw DomainException.invalid("time_zone", "is required");
    }
    if (job == null) {
      throw DomainException.invalid("job", "is required");
    }
    if (job.labels().values().containsKey(SCHEDULE_LABEL)
        || job.labels().values().containsKey(SCHEDULED_TIME_LABEL)) {
      throw DomainException.invalid(
          "job.labels",
          SCHEDULE_LABEL + " and " + SCHEDULED_TIME_LABEL + " are set by the schedule");
    }
    if (job.labels().values().size() > Labels.MAX_LABELS - 2) {
      throw DomainException.invalid(
          "job.labels",
          "at most " + (Labels.MAX_LABELS - 2) + " labels: the schedule adds two of its own");
    }
    concurrencyPolicy = concurrencyPolicy == null ? ConcurrencyPolicy.ALLOW : concurrencyPolicy;
    if (startingDeadlineSeconds != null
        && (startingDeadlineSeconds < 1 || startingDeadlineSeconds > MAX_DEADLINE_SECONDS)) {
      throw DomainException.invalid(
          "starting_deadline_seconds", "must be between 1 and " + MAX_DEADLINE_SECONDS);
    }
    if (maxCatchUp < 0 || maxCatchUp > MAX_CATCH_UP) {
      throw DomainException.invalid("max_catch_up", "must be between 0 and " + MAX_CATCH_UP);
    }
    if (successfulJobsHistoryLimit < 0 || successfulJobsHistoryLimit > MAX_HISTORY) {
      throw DomainException.invalid(
          "successful_jobs_history_limit", "must be between 0 and " + MAX_HISTORY);
    }
    if (failedJobsHistoryLimit < 0 || failedJobsHistoryLimit > MAX_HISTORY) {
      throw DomainException.invalid(
          "failed_jobs_history_limit", "must be between 0 and " + MAX_HISTORY);
    }
  }

  /** The project a schedule belongs to is its template's: the jobs it starts live there. */
  public String project() {
    return job.project();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .name(name)
        .cron(cron)
        .timeZone(timeZone)
        .job(job)
        .concurrencyPolicy(concurrencyPolicy)
        .startingDeadlineSeconds(startingDeadlineSeconds)
        .maxCatchUp(maxCatchUp)
        .suspend(suspend)
        .successfulJobsHistoryLimit(successfulJobsHistoryLimit)
        .failedJobsHistoryLimit(failedJobsHistoryLimit);
  }

  /** Named construction with the defaults: UTC, ALLOW, catch up 1, keep 3 succeeded, 1 failed. */
  public static final class Builder {
    private String name;
    private String cron;
    private ZoneId timeZone = ZoneId.of("UTC");
    private JobDefinition job;
    private ConcurrencyPolicy concurrencyPolicy = ConcurrencyPolicy.ALLOW;
    private Integer startingDeadlineSeconds;
    private int maxCatchUp = DEFAULT_MAX_CATCH_UP;
    private boolean suspend;
    private int successfulJobsHistoryLimit = DEFAULT_SUCCESSFUL_HISTORY;
    private int failedJobsHistoryLimit = DEFAULT_FAILED_HISTORY;

    private Builder() {}

    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public Builder cron(String value) {
      this.cron = value;
      return this;
    }

    public Builder timeZone(ZoneId value) {
      this.timeZone = Objects.requireNonNullElse(value, ZoneId.of("UTC"));
      return this;
    }

    public Builder job(JobDefinition value) {
      this.job = value;
      return this;
    }

    public Builder concurrencyPolicy(ConcurrencyPolicy value) {
      this.concurrencyPolicy = Objects.requireNonNullElse(value, ConcurrencyPolicy.ALLOW);
      return this;
    }

    public Builder startingDeadlineSeconds(Integer value) {
      this.startingDeadlineSeconds = value;
      return this;
    }

    public Builder maxCatchUp(int value) {
      this.maxCatchUp = value;
      return this;
    }

    public Builder suspend(boolean value) {
      this.suspend = value;
      return this;
    }

    public Builder successfulJobsHistoryLimit(int value) {
      this.successfulJobsHistoryLimit = value;
      return this;
    }

    public Builder failedJobsHistoryLimit(int value) {
      this.failedJobsHistoryLimit = value;
      return this;
    }

    public ScheduleSpec build() {
      return new ScheduleSpec(
          name,
          cron,
          timeZone,
          job,
          concurrencyPolicy,
          startingDeadlineSeconds,
          maxCatchUp,
          suspend,
          successfulJobsHistoryLimit,
          failedJobsHistoryLimit);
    }
  }
}
