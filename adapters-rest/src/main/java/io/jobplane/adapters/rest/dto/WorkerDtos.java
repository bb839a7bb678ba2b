package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.telemetry.Checkpoint;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Wire records of the worker protocol (docs/worker-protocol.md). */
public final class WorkerDtos {

  private WorkerDtos() {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ClaimRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record ClaimRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128) String workerId,
      @Schema(maxLength = 253) String hostname,
      @Schema(defaultValue = "[\"default\"]") List<String> queues,
      List<String> types,
      @Schema(defaultValue = "1", minimum = "1", maximum = "100") Integer maxTasks,
      @Schema(defaultValue = "30", minimum = "5", maximum = "600") Integer leaseSeconds,
      @Schema(
              defaultValue = "0",
              minimum = "0",
              maximum = "30",
              description =
                  "Long-polling: with nothing to lease, wait up to this many seconds for work"
                      + " in the queues before answering an empty list; 0 answers at once")
          Integer waitSeconds,
      @Schema(
              description =
                  "the worker's labels (as a job's: at most 64, Kubernetes syntax): jobs with a"
                      + " worker_selector are claimed only by workers whose labels match it")
          Map<String, String> labels) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Items")
  public record ItemsBody(long total, long completed, long failed) {
    public static ItemsBody from(TaskItems items) {
      return items == null ? null : new ItemsBody(items.total(), items.completed(), items.failed());
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "HeartbeatRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record HeartbeatRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Long epoch,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 128,
              description = "the lease token the claim returned: the proof of holding the lease")
          String leaseToken,
      @Schema(minimum = "0", maximum = "100") Integer progress,
      ItemsBody items,
      @Schema(description = "the task's metrics, as POST .../metrics takes them")
          WorkerReports.TaskMetricsReport metrics,
      String message)
      implements WorkerReports.LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "CompleteRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record CompleteRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Long epoch,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 128,
              description = "the lease token the claim returned: the proof of holding the lease")
          String leaseToken,
      @Schema(type = "object") ObjectNode output,
      Boolean changed)
      implements WorkerReports.LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "FailRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record FailRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Long epoch,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 128,
              description = "the lease token the claim returned: the proof of holding the lease")
          String leaseToken,
      @Schema(defaultValue = "WORKER_ERROR", maxLength = 128) String reason,
      String message,
      @Schema(defaultValue = "false") Boolean retryable,
      Integer exitCode)
      implements WorkerReports.LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "StoppedRequest", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record StoppedRequest(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Long epoch,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 128,
              description = "the lease token the claim returned: the proof of holding the lease")
          String leaseToken)
      implements WorkerReports.LeaseFields {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeasedJob")
  public record LeasedJob(
      String name,
      String type,
      String project,
      @Schema(type = "object") JsonNode input,
      @Schema(nullable = true) List<String> command,
      @Schema(
              nullable = true,
              description =
                  "the command's environment for this lease holder only: plain values, and the"
                      + " values of the secrets the job references")
          Map<String, String> env,
      @Schema(nullable = true) Integer timeoutSeconds,
      Map<String, String> labels) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Lease")
  public record LeaseBody(
      UUID jobId,
      int taskIndex,
      long epoch,
      @Schema(
              description =
                  "the proof of holding this lease: send it with every report about the task;"
                      + " shown only here, never stored in clear")
          String leaseToken,
      Instant expiresAt,
      int runId,
      int attempt,
      int parallelism,
      LeasedJob job,
      @Schema(nullable = true, description = "the checkpoint a restart named, if any")
          TelemetryResponses.CheckpointResponse checkpoint) {

    /**
     * {@code env}: the variables the lease holder runs the command with, secret references resolved
     * (see {@link io.jobplane.application.port.in.WorkerProtocolUseCase.Lease#env}); {@code
     * leaseToken}: the proof of holding the lease, shown only in the claim's answer.
     */
    public static LeaseBody from(
        JobSnapshot job,
        TaskState task,
        Checkpoint checkpoint,
        Map<String, String> env,
        String leaseToken) {
      JobDefinition d = job.definition();
      return new LeaseBody(
          job.id().value(),
          task.index(),
          task.epoch(),
          leaseToken,
          task.leaseExpiresAt(),
          task.runId(),
          task.attempt(),
          d.parallelism(),
          new LeasedJob(
              d.name(),
              d.type(),
              d.project(),
              JobResponse.parse(d.input().json()),
              d.command() == null ? null : d.command().argv(),
              env,
              d.timeoutSeconds(),
              d.labels().values()),
          checkpoint == null
              ? null
              : TelemetryResponses.CheckpointResponse.from(job.id(), checkpoint));
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "ClaimResponse")
  public record ClaimResponse(List<LeaseBody> leases) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "StopInstruction")
  public record StopBody(
      @Schema(allowableValues = {"graceful", "immediate", "force"}) String mode,
      Instant deadline) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "HeartbeatResponse")
  public record HeartbeatResponse(Instant expiresAt, @Schema(nullable = true) StopBody stop) {}

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
              use.scope().name().toLowerCase(java.util.Locale.ROOT),
              use.queue(),
              use.limit(),
              use.usage());
    }
  }
}
