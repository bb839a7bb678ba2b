package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.adapters.rest.dto.WorkerDtos.ItemsBody;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TaskSummary;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wire records of a job's tasks as readers see them (task lists, job reads) and as the worker
 * protocol answers a report: the same task, whoever asks.
 */
public final class TaskDtos {

  private TaskDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Task")
  public record TaskBody(
      int index,
      int runId,
      TaskStatus status,
      int attempt,
      long epoch,
      @Schema(nullable = true) String workerId,
      @Schema(nullable = true) String hostname,
      @Schema(nullable = true) Instant startedAt,
      @Schema(nullable = true) Instant finishedAt,
      @Schema(nullable = true) Long durationMs,
      @Schema(nullable = true) Integer progress,
      @Schema(nullable = true) ItemsBody items,
      @Schema(nullable = true) ErrorBody error,
      @Schema(nullable = true) Integer exitCode,
      @Schema(nullable = true) Instant leaseExpiresAt,
      @Schema(description = "not claimable before (retry backoff)") Instant availableAt,
      @Schema(nullable = true) Instant stopDeadline,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(type = "object", nullable = true)
          JsonNode output,
      @Schema(nullable = true) Boolean changed,
      @JsonInclude(JsonInclude.Include.NON_NULL)
          @Schema(
              nullable = true,
              description = "a broadcast's task: the only worker that may claim it")
          String boundWorker) {

    public static TaskBody from(TaskState t, Instant now) {
      return new TaskBody(
          t.index(),
          t.runId(),
          t.status(),
          t.attempt(),
          t.epoch(),
          t.workerId(),
          t.hostname(),
          t.startedAt(),
          t.finishedAt(),
          t.durationMs(now),
          t.progress(),
          ItemsBody.from(t.items()),
          ErrorBody.from(t.error()),
          t.exitCode(),
          t.leaseExpiresAt(),
          t.availableAt(),
          t.stopDeadline(),
          t.output() == null ? null : JobResponse.parse(t.output()),
          t.changed(),
          t.boundWorker());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "TaskList")
  public record TaskListResponse(TaskCounts summary, List<TaskBody> tasks) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "TaskCounts")
  public record TaskCounts(
      int total, int pending, int running, int completed, int failed, int stopped) {
    public static TaskCounts from(TaskSummary s) {
      return new TaskCounts(
          s.total(), s.pending(), s.running(), s.completed(), s.failed(), s.stopped());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "AgentState", description = "A broadcast's task on one worker")
  public record AgentState(
      TaskStatus status,
      @Schema(nullable = true, description = "the host the worker claimed from") String hostname,
      @Schema(type = "object", nullable = true) JsonNode output,
      @Schema(nullable = true) Boolean changed,
      @Schema(nullable = true) ErrorBody error,
      @Schema(nullable = true, description = "ms from its start to its end (or to now)")
          Long durationMs) {

    /** The agents of a run by worker name, in name order. */
    public static Map<String, AgentState> of(List<TaskState> agents, Instant now) {
      if (agents.isEmpty()) {
        return null;
      }
      Map<String, AgentState> byName = new LinkedHashMap<>();
      for (TaskState t : agents) {
        byName.put(
            t.boundWorker(),
            new AgentState(
                t.status(),
                t.hostname(),
                t.output() == null ? null : JobResponse.parse(t.output()),
                t.changed(),
                ErrorBody.from(t.error()),
                t.durationMs(now)));
      }
      return byName;
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ItemCounts")
  public record ItemCounts(long total, long pending, long completed, long failed) {
    public static ItemCounts from(TaskItems i) {
      return i == null ? null : new ItemCounts(i.total(), i.pending(), i.completed(), i.failed());
    }
  }
}
