package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.dto.WorkerDtos.ItemsBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.StopBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.TaskBody;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Wire records of {@code POST /api/v1/leases/reports}: many heartbeats, completions, failures and
 * stop acknowledgements in one call, each answered on its own (docs/worker-protocol.md).
 */
public final class LeaseReportDtos {

  private LeaseReportDtos() {}

  /** The {@code type} of a report and the fields besides the lease that each type takes. */
  public enum ReportType {
    HEARTBEAT("progress", "items", "metrics", "message"),
    COMPLETE("output", "changed"),
    FAIL("reason", "message", "retryable", "exit_code"),
    STOPPED();

    private final List<String> fields;

    ReportType(String... fields) {
      this.fields = List.of(fields);
    }

    /**
     * The fields a report of this type may carry besides job_id, task_index, epoch, lease_token and
     * type.
     */
    public List<String> fields() {
      return fields;
    }
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "LeaseReportsRequest",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record LeaseReportsRequest(
      @ArraySchema(
              minItems = 1,
              maxItems = 100,
              schema = @Schema(implementation = LeaseReportItem.class),
              arraySchema = @Schema(requiredMode = Schema.RequiredMode.REQUIRED))
          List<LeaseReportItem> reports) {}

  /**
   * One report: the lease (job_id, task_index, epoch, lease_token), its type and the fields of the
   * single-lease call of that type. A field another type takes is refused.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "LeaseReport",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE,
      description =
          "heartbeat: progress, items, metrics, message; complete: output, changed; fail: reason,"
              + " message, retryable, exit_code; stopped: none")
  public record LeaseReportItem(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "uuid") String jobId,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0") Integer taskIndex,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0") Long epoch,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 128,
              description = "the lease token the claim returned")
          String leaseToken,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {"heartbeat", "complete", "fail", "stopped"})
          String type,
      @Schema(minimum = "0", maximum = "100") Integer progress,
      ItemsBody items,
      WorkerReports.TaskMetricsReport metrics,
      @Schema(description = "heartbeat: a status line for the job's log; fail: what went wrong")
          String message,
      @Schema(type = "object") ObjectNode output,
      Boolean changed,
      @Schema(defaultValue = "WORKER_ERROR", maxLength = 128) String reason,
      @Schema(defaultValue = "false") Boolean retryable,
      Integer exitCode) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeaseReportsResponse")
  public record LeaseReportsResponse(
      @ArraySchema(
              schema =
                  @Schema(anyOf = {HeartbeatResult.class, TaskResult.class, RefusedResult.class}),
              arraySchema = @Schema(description = "one result per report, in request order"))
          List<LeaseReportResult> results) {}

  /** What became of one report; Jackson writes the fields of the concrete record. */
  public sealed interface LeaseReportResult permits HeartbeatResult, TaskResult, RefusedResult {}

  /** An accepted heartbeat: what the single heartbeat call answers. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeaseReportHeartbeatResult")
  public record HeartbeatResult(
      UUID jobId,
      int taskIndex,
      long epoch,
      @Schema(description = "true") boolean accepted,
      Instant expiresAt,
      @Schema(nullable = true) StopBody stop)
      implements LeaseReportResult {}

  /** An accepted completion, failure or stop acknowledgement: the task as the call leaves it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeaseReportTaskResult")
  public record TaskResult(
      UUID jobId,
      int taskIndex,
      long epoch,
      @Schema(description = "true") boolean accepted,
      TaskBody task)
      implements LeaseReportResult {}

  /**
   * A refused report, which changed nothing: the status, problem type, title and detail the
   * single-lease call would have answered (409 .../stale-lease: abandon the task; 404: the job does
   * not exist or the token cannot see it).
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeaseReportRefusedResult")
  public record RefusedResult(
      UUID jobId,
      int taskIndex,
      long epoch,
      @Schema(description = "false: the report was refused and changed nothing") boolean accepted,
      @Schema(example = "409") int status,
      @Schema(example = "https://jobplane.io/problems/stale-lease") String type,
      String title,
      String detail)
      implements LeaseReportResult {}
}
