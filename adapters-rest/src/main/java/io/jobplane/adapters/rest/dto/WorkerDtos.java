package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.telemetry.Checkpoint;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
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

    /** The counts as reported; {@link TaskItems} checks them. */
    public TaskItems toDomain() {
      return new TaskItems(total, completed, failed);
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
}
