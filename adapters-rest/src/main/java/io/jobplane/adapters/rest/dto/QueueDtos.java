package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.in.QueueOverviewUseCase;
import io.jobplane.application.port.in.QueueOverviewUseCase.Overview;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueSummary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The queues overview on the wire. */
public final class QueueDtos {

  private QueueDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "QueueWaitingReason")
  public record WaitingReason(
      @Schema(allowableValues = {"NO_WORKER", "BACKOFF", "WORKERS_BUSY", "NEXT", "SUSPENDED"})
          String reason,
      @Schema(description = "jobs of the queue waiting for this reason") long jobs) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Queue")
  public record QueueResponse(
      String project,
      String queue,
      @Schema(description = "jobs QUEUED") long queued,
      @Schema(description = "jobs RUNNING or STOPPING") long running,
      @Schema(nullable = true, description = "when the longest-waiting QUEUED job was queued")
          Instant oldestWaitingSince,
      @Schema(nullable = true, description = "how long that job has waited, in seconds")
          Long oldestWaitingSeconds,
      @Schema(description = "workers that polled the queue in the last 30 s") int activeWorkers,
      @Schema(
              description =
                  "why the queue's jobs wait, most fundamental reason first, in the terms of a"
                      + " job's waiting.reason")
          List<WaitingReason> waitingReasons,
      @Schema(
              nullable = true,
              description =
                  "the limits over this queue's jobs (docs/limits.md); null when the project has"
                      + " none")
          QueueLimits limits) {

    static QueueResponse from(QueueSummary q, Instant now, ProjectLimits limits) {
      Instant oldest = q.oldestQueuedAt();
      return new QueueResponse(
          q.project(),
          q.queue(),
          q.queued(),
          q.running(),
          oldest,
          oldest == null ? null : Math.max(0, Duration.between(oldest, now).toSeconds()),
          q.activeWorkers(),
          q.waitingReasons().entrySet().stream()
              .map(e -> new WaitingReason(e.getKey().name(), e.getValue()))
              .toList(),
          QueueLimits.of(limits, q.queue()));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "QueueLimits")
  public record QueueLimits(
      @Schema(nullable = true, description = "the project's max_running, all queues together")
          Integer projectMaxRunning,
      @Schema(nullable = true, description = "the project's max_queued, all queues together")
          Long projectMaxQueued,
      @Schema(nullable = true, description = "the project's max_running in this queue")
          Integer maxRunning,
      @Schema(nullable = true, description = "the project's max_queued in this queue")
          Long maxQueued,
      @Schema(description = "the project's fair-share weight in shared queues") int weight) {

    static QueueLimits of(ProjectLimits limits, String queue) {
      if (limits == null) {
        return null;
      }
      ProjectLimits.QueueLimits own = limits.queue(queue);
      return new QueueLimits(
          limits.maxRunning(),
          limits.maxQueued(),
          own.maxRunning(),
          own.maxQueued(),
          limits.weight());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "QueueList")
  public record QueueListResponse(
      @Schema(description = "queues with unfinished jobs, by project and queue name")
          List<QueueResponse> items,
      @Schema(
              description =
                  "true when more than "
                      + QueueOverviewUseCase.MAX_QUEUES
                      + " queues matched and only the first are listed")
          boolean truncated) {

    public static QueueListResponse from(Overview overview) {
      return new QueueListResponse(
          overview.queues().stream()
              .map(q -> QueueResponse.from(q, overview.asOf(), overview.limits().get(q.project())))
              .toList(),
          overview.truncated());
    }
  }
}
