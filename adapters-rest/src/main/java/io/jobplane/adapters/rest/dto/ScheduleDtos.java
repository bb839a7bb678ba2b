package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** The wire model of /api/v1/schedules. */
public final class ScheduleDtos {

  private ScheduleDtos() {}

  /** The body of POST /api/v1/schedules and PUT /api/v1/schedules/{id}. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ScheduleRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record ScheduleRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200, example = "nightly")
          String name,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              example = "30 2 * * *",
              description =
                  "Unix cron (minute hour day-of-month month day-of-week), 6 fields with a"
                      + " leading seconds field, or @yearly, @monthly, @weekly, @daily, @hourly")
          String cron,
      @Schema(
              defaultValue = "UTC",
              example = "Europe/Berlin",
              description =
                  "IANA time zone the cron is read in: a time that happens twice (DST ends) runs"
                      + " once, a time that does not exist (DST begins) runs at the jump")
          String timeZone,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              description = "the job to start: the body of POST /api/v1/jobs (without suspend)")
          SubmitJobRequest job,
      @Schema(
              defaultValue = "allow",
              allowableValues = {"allow", "forbid", "replace"},
              description =
                  "while a job of the schedule is active: start another (allow), skip the tick"
                      + " (forbid), or stop the active ones first (replace)")
          String concurrencyPolicy,
      @Schema(
              nullable = true,
              minimum = "1",
              description = "a tick later than this is not started at all")
          Integer startingDeadlineSeconds,
      @Schema(
              defaultValue = "1",
              minimum = "0",
              maximum = "100",
              description =
                  "after downtime, how many of the most recent missed ticks run (0: none of a"
                      + " backlog)")
          Integer maxCatchUp,
      @Schema(defaultValue = "false") Boolean suspend,
      @Schema(defaultValue = "3", minimum = "0", maximum = "100")
          Integer successfulJobsHistoryLimit,
      @Schema(
              defaultValue = "1",
              minimum = "0",
              maximum = "100",
              description = "finished jobs kept that did not succeed (failed, stopped, ...)")
          Integer failedJobsHistoryLimit) {}

  /** The last job a schedule started, with its status (null when it was deleted). */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ScheduleLastJob")
  public record LastJob(UUID id, @Schema(nullable = true) JobStatus status) {}

  /** A schedule as clients see it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Schedule")
  public record ScheduleResponse(
      UUID id,
      String name,
      String project,
      String cron,
      String timeZone,
      SubmitJobRequest job,
      @Schema(allowableValues = {"allow", "forbid", "replace"}) String concurrencyPolicy,
      @Schema(nullable = true) Integer startingDeadlineSeconds,
      int maxCatchUp,
      boolean suspend,
      int successfulJobsHistoryLimit,
      int failedJobsHistoryLimit,
      @Schema(nullable = true) Instant lastScheduledTime,
      @Schema(nullable = true) Instant nextRunTime,
      @Schema(nullable = true) LastJob lastJob,
      String createdBy,
      Instant createdAt,
      Instant updatedAt,
      long version) {

    /** {@code env} values of the template are hidden unless {@code revealEnv}, as on jobs. */
    public static ScheduleResponse from(ScheduleView view, boolean revealEnv) {
      Schedule s = view.schedule();
      ScheduleSpec spec = s.spec();
      return new ScheduleResponse(
          s.id().value(),
          spec.name(),
          spec.project(),
          spec.cron(),
          spec.timeZone().getId(),
          template(spec.job(), revealEnv),
          spec.concurrencyPolicy().name().toLowerCase(Locale.ROOT),
          spec.startingDeadlineSeconds(),
          spec.maxCatchUp(),
          spec.suspend(),
          spec.successfulJobsHistoryLimit(),
          spec.failedJobsHistoryLimit(),
          s.lastScheduledTime(),
          s.nextRunTime(),
          s.lastJob() == null ? null : new LastJob(s.lastJob().value(), view.lastJobStatus()),
          s.createdBy(),
          s.createdAt(),
          s.updatedAt(),
          s.version());
    }

    private static SubmitJobRequest template(JobDefinition d, boolean revealEnv) {
      Map<String, Object> env =
          d.command() != null
              ? EnvBody.show(
                  d.command().env(), d.command().secretEnv(), revealEnv, JobResponse.HIDDEN)
              : d.kubernetes() == null
                  ? null
                  : EnvBody.show(null, d.kubernetes().secretEnv(), revealEnv, JobResponse.HIDDEN);
      Map<String, JsonNode> envNodes =
          env == null
              ? null
              : JsonMapping.mapper()
                  .convertValue(
                      env,
                      JsonMapping.mapper()
                          .getTypeFactory()
                          .constructMapType(Map.class, String.class, JsonNode.class));
      return new SubmitJobRequest(
          d.name(),
          d.type(),
          d.project(),
          d.labels().values(),
          (ObjectNode) JobResponse.parseObject(d.input().json()),
          d.maxAttempts(),
          d.priority(),
          d.queue(),
          d.runtime().name().toLowerCase(Locale.ROOT),
          d.timeoutSeconds(),
          d.parallelism(),
          null,
          d.command() == null ? null : List.copyOf(d.command().argv()),
          envNodes,
          KubernetesPlacementBody.from(d.kubernetes()),
          null,
          null,
          null,
          PlacementBody.from(d.placement()));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ScheduleList")
  public record ScheduleListResponse(List<ScheduleResponse> items) {}
}
