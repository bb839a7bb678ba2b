package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.in.WorkersUseCase;
import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.application.port.out.WorkerRegistry.HeldTask;
import io.jobplane.application.port.out.WorkerRegistry.WorkerRecord;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The workers list on the wire (GET /api/v1/workers). */
public final class WorkerListDtos {

  private WorkerListDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WorkerTask", description = "A task the worker holds a lease of")
  public record WorkerTaskResponse(
      UUID jobId,
      int runId,
      int taskIndex,
      @Schema(description = "when the lease was last taken or extended (a claim or heartbeat)")
          Instant lastHeartbeatAt,
      Instant leaseExpiresAt) {

    static WorkerTaskResponse from(HeldTask t) {
      return new WorkerTaskResponse(
          t.jobId().value(), t.runId(), t.taskIndex(), t.lastHeartbeatAt(), t.leaseExpiresAt());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Worker")
  public record WorkerResponse(
      @Schema(description = "the worker's name: the worker_id of its claims") String name,
      @Schema(nullable = true) String hostname,
      Map<String, String> labels,
      @Schema(description = "the queues of its latest claim") List<String> queues,
      @Schema(nullable = true, description = "the job types it claims; null: any")
          List<String> types,
      @Schema(
              description =
                  "the tasks it holds (at most "
                      + WorkerRegistry.MAX_TASKS_SHOWN
                      + ", of jobs the caller may see)")
          List<WorkerTaskResponse> tasks,
      @Schema(description = "max_tasks of its latest claim") int tasksRequested,
      @Schema(description = "leases its latest recorded claim got") int tasksLeased,
      Instant firstSeenAt,
      @Schema(description = "its latest recorded claim (written at most once a second)")
          Instant lastSeenAt,
      @Schema(
              nullable = true,
              description = "the latest lease taken or extended of the tasks shown; null: none")
          Instant lastHeartbeatAt) {

    static WorkerResponse from(WorkerRecord w) {
      return new WorkerResponse(
          w.workerId(),
          w.hostname(),
          w.labels().values(),
          w.queues(),
          w.types(),
          w.tasks().stream().map(WorkerTaskResponse::from).toList(),
          w.tasksRequested(),
          w.tasksLeased(),
          w.firstSeenAt(),
          w.lastSeenAt(),
          w.tasks().stream()
              .map(HeldTask::lastHeartbeatAt)
              .max(Comparator.naturalOrder())
              .orElse(null));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "WorkerList")
  public record WorkerListResponse(
      @Schema(description = "live workers by name") List<WorkerResponse> workers,
      @Schema(description = "more workers matched than the limit") boolean truncated,
      @Schema(description = "the workers listed claimed at or after this time (the last 30 s)")
          Instant liveSince) {

    public static WorkerListResponse from(WorkersUseCase.WorkerList list) {
      return new WorkerListResponse(
          list.workers().stream().map(WorkerResponse::from).toList(),
          list.truncated(),
          list.liveSince());
    }
  }
}
