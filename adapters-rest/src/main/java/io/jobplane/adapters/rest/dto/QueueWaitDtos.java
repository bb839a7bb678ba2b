package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.JobId;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueWait;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Wire records of why a job still waits ({@link QueueWait}), part of a job read. */
public final class QueueWaitDtos {

  private QueueWaitDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "Waiting",
      description =
          "why a queued, suspended or dependency-waiting (PENDING) job still waits, including a"
              + " running limit of its project (CONCURRENCY_LIMIT, with the limit and its usage)")
  public record Waiting(
      @Schema(
              nullable = true,
              minimum = "1",
              maximum = "" + QueueWait.POSITION_CAP,
              description =
                  "1-based: claimable tasks of other jobs ahead of the job's first queued task in"
                      + " its queue, plus one; exact up to "
                      + QueueWait.POSITION_CAP
                      + ", where the count stops (see"
                      + " position_is_lower_bound); null when suspended")
          Long position,
      @Schema(
              description =
                  "true when the count stopped at the cap ("
                      + QueueWait.POSITION_CAP
                      + " or more tasks ahead): position is then the cap and the job's real"
                      + " position is greater; false when position is exact or null")
          boolean positionIsLowerBound,
      @Schema(
              allowableValues = {
                "NO_WORKER",
                "BACKOFF",
                "WORKERS_BUSY",
                "NEXT",
                "SUSPENDED",
                "DEPENDENCIES",
                "NO_MATCHING_WORKER",
                "CONCURRENCY_LIMIT"
              })
          String reason,
      @Schema(nullable = true, description = "BACKOFF: when the first task becomes claimable")
          Instant until,
      @Schema(description = "workers that polled the job's queue in the last 30 s")
          int activeWorkers,
      String message,
      @ArraySchema(
              schema = @Schema(format = "uuid"),
              arraySchema =
                  @Schema(
                      description =
                          "DEPENDENCIES: the jobs it depends on that have not ended yet (absent"
                              + " otherwise)"))
          @JsonInclude(JsonInclude.Include.NON_EMPTY)
          List<UUID> waitingFor,
      @Schema(
              description =
                  "CONCURRENCY_LIMIT: the max_running that holds the job and its usage (absent"
                      + " otherwise)")
          @JsonInclude(JsonInclude.Include.NON_NULL)
          LimitUse limit) {

    public static Waiting from(QueueWait wait) {
      return wait == null
          ? null
          : new Waiting(
              wait.position(),
              wait.positionIsLowerBound(),
              wait.reason().name(),
              wait.until(),
              wait.activeWorkers(),
              wait.message(),
              wait.waitingFor().stream().map(JobId::value).toList(),
              LimitUse.from(wait.limit()));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LimitUse", description = "a limit of a project (or of one of its queues) in use")
  public record LimitUse(
      @Schema(allowableValues = {"project", "queue"}) String scope,
      @Schema(nullable = true, description = "the queue, for scope queue") String queue,
      @Schema(description = "the limit") long limit,
      @Schema(description = "how many jobs count against it now") long usage) {

    public static LimitUse from(ProjectLimits.Use use) {
      return use == null
          ? null
          : new LimitUse(
              use.scope().name().toLowerCase(Locale.ROOT), use.queue(), use.limit(), use.usage());
    }
  }
}
