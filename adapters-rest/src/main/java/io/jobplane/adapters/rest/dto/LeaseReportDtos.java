package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.dto.TaskDtos.TaskBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.ItemsBody;
import io.jobplane.adapters.rest.dto.WorkerDtos.StopBody;
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
      // no defaultValue on the fields of one type: a generated client would send the default with
      // every report, and the server refuses a fail field on a heartbeat
      @Schema(maxLength = 128, description = "fail: WORKER_ERROR when absent") String reason,
      @Schema(description = "fail: false when absent") Boolean retryable,
      Integer exitCode) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "LeaseReportsResponse")
  public record LeaseReportsResponse(
      @ArraySchema(arraySchema = @Schema(description = "one result per report, in request order"))
          List<LeaseReportResult> results) {}

  /**
   * What became of one report. One schema, not a union of three: the kinds share job_id,
   * task_index, epoch and accepted, and no field names the kind (accepted is a boolean and the
   * report's type is not repeated), so a generated client could not tell the members of an anyOf
   * apart and read a refusal as an accepted heartbeat. Each kind writes only its own fields, and
   * {@code stop}.
   *
   * @param expiresAt an accepted heartbeat: what the single heartbeat call answers, with {@code
   *     stop}
   * @param task an accepted completion, failure or stop acknowledgement: the task as the call
   *     leaves it
   * @param status a refused report, which changed nothing: the status, problem type, title and
   *     detail the single-lease call would have answered (409 .../stale-lease: abandon the task;
   *     404: the job does not exist or the token cannot see it)
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @Schema(
      name = "LeaseReportResult",
      description =
          "accepted heartbeat: expires_at and stop (null unless the task is asked to stop);"
              + " accepted complete, fail or stopped: task; refused (accepted false): status,"
              + " type, title and detail")
  public record LeaseReportResult(
      UUID jobId,
      int taskIndex,
      long epoch,
      @Schema(description = "false: the report was refused and changed nothing") boolean accepted,
      @Schema(description = "accepted heartbeat: when the lease now expires") Instant expiresAt,
      // written on every result, null unless a heartbeat's task is asked to stop: the single
      // heartbeat answers "stop": null, and so does the heartbeat of a batch
      @JsonInclude(JsonInclude.Include.ALWAYS)
          @Schema(
              nullable = true,
              description = "accepted heartbeat: the stop the task is asked for; else null")
          StopBody stop,
      @Schema(description = "accepted complete, fail or stopped: the task as the call leaves it")
          TaskBody task,
      @Schema(description = "refused: the single-lease call's HTTP status", example = "409")
          Integer status,
      @Schema(
              description = "refused: the problem type",
              example = "https://jobplane.io/problems/stale-lease")
          String type,
      @Schema(description = "refused: the problem title") String title,
      @Schema(description = "refused: the problem detail") String detail) {

    public static LeaseReportResult heartbeat(
        UUID jobId, int taskIndex, long epoch, Instant expiresAt, StopBody stop) {
      return new LeaseReportResult(
          jobId, taskIndex, epoch, true, expiresAt, stop, null, null, null, null, null);
    }

    public static LeaseReportResult task(UUID jobId, int taskIndex, long epoch, TaskBody task) {
      return new LeaseReportResult(
          jobId, taskIndex, epoch, true, null, null, task, null, null, null, null);
    }

    public static LeaseReportResult refused(
        UUID jobId,
        int taskIndex,
        long epoch,
        int status,
        String type,
        String title,
        String detail) {
      return new LeaseReportResult(
          jobId, taskIndex, epoch, false, null, null, null, status, type, title, detail);
    }
  }
}
