package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.in.ProjectLimitsUseCase.LimitsView;
import io.jobplane.application.port.out.ProjectLimitsStore.Usage;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Wire records of a project's limits: what a PUT sends and a GET answers (with usage). */
public final class LimitsDtos {

  private LimitsDtos() {}

  private static final String MAX_RUNNING =
      "jobs RUNNING or STOPPING at once; a claim never starts one more (queued jobs wait with"
          + " waiting.reason CONCURRENCY_LIMIT); 0 holds every new job; null: no limit";
  private static final String MAX_QUEUED =
      "jobs waiting to run (PENDING, SUSPENDED, QUEUED); a submit past it gets 429 with"
          + " Retry-After and stores nothing; null: no limit";

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "QueueLimits", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record QueueLimitsBody(
      @Schema(
              nullable = true,
              minimum = "0",
              maximum = "" + ProjectLimits.MAX_RUNNING,
              description = "of the project's jobs in this queue: " + MAX_RUNNING)
          Integer maxRunning,
      @Schema(
              nullable = true,
              minimum = "0",
              maximum = "" + ProjectLimits.MAX_QUEUED,
              description = "of the project's jobs in this queue: " + MAX_QUEUED)
          Long maxQueued) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "LimitsRequest",
      description =
          "a project's limits, replaced whole: a field left out or null is no limit, and a"
              + " document without any limit (and weight 1) removes them",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record LimitsRequest(
      @Schema(
              nullable = true,
              minimum = "0",
              maximum = "" + ProjectLimits.MAX_RUNNING,
              description = "of the project's jobs, all queues together: " + MAX_RUNNING,
              example = "2")
          Integer maxRunning,
      @Schema(
              nullable = true,
              minimum = "0",
              maximum = "" + ProjectLimits.MAX_QUEUED,
              description = "of the project's jobs, all queues together: " + MAX_QUEUED,
              example = "1000")
          Long maxQueued,
      @Schema(
              nullable = true,
              minimum = "1",
              maximum = "" + ProjectLimits.MAX_WEIGHT,
              description =
                  "the project's share of a queue it shares with other projects (default 1): a"
                      + " claim serves first the project with the fewest running jobs per unit"
                      + " of weight")
          Integer weight,
      @Schema(
              nullable = true,
              description =
                  "limits of the project's jobs in one queue, by queue name (at most "
                      + ProjectLimits.MAX_QUEUES
                      + ")")
          Map<String, QueueLimitsBody> queues) {

    /** The domain limits; every bound checked, every offending field named in one answer. */
    public ProjectLimits toLimits() {
      List<DomainException.FieldError> errors = new ArrayList<>();
      Map<String, QueueLimits> byQueue = new LinkedHashMap<>();
      if (queues != null) {
        queues.forEach(
            (name, q) -> {
              try {
                byQueue.put(name, ProjectLimits.queue(name, q.maxRunning(), q.maxQueued()));
              } catch (DomainException e) {
                errors.addAll(e.errors());
              }
            });
      }
      try {
        ProjectLimits limits =
            new ProjectLimits(maxRunning, maxQueued, weight == null ? 1 : weight, byQueue);
        if (errors.isEmpty()) {
          return limits;
        }
      } catch (DomainException e) {
        errors.addAll(0, e.errors());
      }
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          "invalid limits: "
              + String.join(", ", errors.stream().map(DomainException.FieldError::field).toList()),
          errors);
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LimitUsage")
  public record UsageBody(
      @Schema(description = "jobs RUNNING or STOPPING") long running,
      @Schema(description = "jobs PENDING, SUSPENDED or QUEUED") long queued) {
    static UsageBody from(Usage u) {
      return new UsageBody(u.running(), u.waiting());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LimitsUsage")
  public record UsageResponse(
      @Schema(description = "the project's jobs, all queues together") UsageBody total,
      @Schema(description = "the project's jobs in each queue the limits name")
          Map<String, UsageBody> queues) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Limits")
  public record LimitsResponse(
      String project,
      @Schema(nullable = true, description = "null: no limit") Integer maxRunning,
      @Schema(nullable = true, description = "null: no limit") Long maxQueued,
      int weight,
      Map<String, QueueLimitsBody> queues,
      UsageResponse usage,
      @Schema(nullable = true, description = "when the limits were last set; null if never")
          Instant updatedAt,
      @Schema(nullable = true, description = "the token that last set them") String updatedBy) {

    public static LimitsResponse from(LimitsView v) {
      ProjectLimits l = v.limits();
      Map<String, QueueLimitsBody> queues = new LinkedHashMap<>();
      l.queues()
          .forEach((q, ql) -> queues.put(q, new QueueLimitsBody(ql.maxRunning(), ql.maxQueued())));
      Map<String, UsageBody> perQueue = new LinkedHashMap<>();
      v.usage().queues().forEach((q, u) -> perQueue.put(q, UsageBody.from(u)));
      return new LimitsResponse(
          v.project(),
          l.maxRunning(),
          l.maxQueued(),
          l.weight(),
          queues,
          new UsageResponse(UsageBody.from(v.usage().total()), perQueue),
          v.updatedAt(),
          v.updatedBy());
    }
  }
}
