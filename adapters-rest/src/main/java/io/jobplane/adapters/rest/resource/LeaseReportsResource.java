package io.jobplane.adapters.rest.resource;

import io.jobplane.adapters.rest.dto.LeaseReportDtos.LeaseReportItem;
import io.jobplane.adapters.rest.dto.LeaseReportDtos.LeaseReportResult;
import io.jobplane.adapters.rest.dto.LeaseReportDtos.LeaseReportsRequest;
import io.jobplane.adapters.rest.dto.LeaseReportDtos.LeaseReportsResponse;
import io.jobplane.adapters.rest.dto.LeaseReportDtos.ReportType;
import io.jobplane.adapters.rest.dto.TaskDtos.TaskBody;
import io.jobplane.adapters.rest.problem.DomainExceptionMapper;
import io.jobplane.adapters.rest.problem.ProblemDetail;
import io.jobplane.adapters.rest.problem.Problems;
import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ReportOutcome;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.DomainException.FieldError;
import io.jobplane.domain.JobId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Batched worker reports (docs/worker-protocol.md): heartbeats, completions, failures and stop
 * acknowledgements for many leases in one call and one transaction. Each report is fenced on its
 * own and answered on its own, in request order; a refused one (stale lease, a job the token cannot
 * see) changes nothing and does not hold back the others. A body that is not valid as a whole is a
 * 400 naming the field with its index ({@code reports[3].epoch}); a token without role worker is a
 * 403 for the whole call.
 */
@Path("/api/v1/leases/reports")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "workers")
@Singleton
public class LeaseReportsResource {

  private final WorkerProtocolUseCase worker;
  private final Clock clock;

  @Inject
  public LeaseReportsResource(WorkerProtocolUseCase worker, Clock clock) {
    this.worker = worker;
    this.clock = clock;
  }

  @POST
  @Operation(
      operationId = "reportOnLeases",
      summary = "Report on many leases at once",
      description =
          "1 to 100 reports of type heartbeat, complete, fail or stopped, each with the lease's"
              + " job_id, task_index, epoch and lease_token and the fields of the single-lease call of its"
              + " type. Applied in one transaction in request order; each is fenced on its own."
              + " The answer has one result per report: accepted with what the single call"
              + " answers, or refused (status 409 and type .../stale-lease: abandon the task; 404:"
              + " no such job for this token) having changed nothing.",
      responses = {
        @ApiResponse(
            responseCode = "200",
            description = "one result per report, in request order",
            content = @Content(schema = @Schema(implementation = LeaseReportsResponse.class))),
        @ApiResponse(
            responseCode = "400",
            description = "the body is not a valid batch; the field is named with its index",
            ref = "Problem"),
        @ApiResponse(
            responseCode = "403",
            description = "the token may not use the worker protocol",
            ref = "Problem")
      })
  public LeaseReportsResponse report(
      @Context SecurityContext security,
      @Context UriInfo uri,
      @RequestBody(required = true) LeaseReportsRequest body) {
    Caller caller = Callers.of(security);
    if (body == null || body.reports() == null) {
      throw DomainException.invalid("reports", "is required");
    }
    List<LeaseReportItem> items = body.reports();
    if (items.isEmpty() || items.size() > WorkerProtocolUseCase.MAX_REPORTS) {
      throw DomainException.invalid(
          "reports", "must hold 1 to " + WorkerProtocolUseCase.MAX_REPORTS + " reports");
    }
    List<LeaseReport> reports = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      reports.add(toDomain(items.get(i), "reports[" + i + "]"));
    }
    List<ReportOutcome> outcomes = worker.report(caller, reports);
    Instant now = clock.instant();
    String instance = Problems.instance(uri);
    return new LeaseReportsResponse(outcomes.stream().map(o -> result(o, now, instance)).toList());
  }

  private static LeaseReportResult result(ReportOutcome o, Instant now, String instance) {
    TaskReport lease = o.report().lease();
    if (!o.isAccepted()) {
      // the same status, type, title and detail the single-lease call answers, nothing more
      ProblemDetail p = DomainExceptionMapper.problem(o.refusal(), instance);
      return LeaseReportResult.refused(
          lease.jobId().value(),
          lease.taskIndex(),
          lease.epoch(),
          p.status(),
          p.type(),
          p.title(),
          p.detail());
    }
    if (o.report() instanceof LeaseReport.Heartbeat) {
      return LeaseReportResult.heartbeat(
          lease.jobId().value(),
          lease.taskIndex(),
          lease.epoch(),
          o.task().leaseExpiresAt(),
          LeaseReportFields.stop(new HeartbeatAnswer(o.task(), o.stop())));
    }
    return LeaseReportResult.task(
        lease.jobId().value(), lease.taskIndex(), lease.epoch(), TaskBody.from(o.task(), now));
  }

  /** One item of the body; every error names the field under {@code at}. */
  private static LeaseReport toDomain(LeaseReportItem item, String at) {
    if (item == null) {
      throw DomainException.invalid(at, "must be a JSON object");
    }
    JobId jobId = field(at + ".job_id", () -> JobId.parse(item.jobId()));
    if (item.taskIndex() == null) {
      throw DomainException.invalid(at + ".task_index", "is required");
    }
    if (item.taskIndex() < 0) {
      throw DomainException.invalid(at + ".task_index", "must not be negative");
    }
    if (item.epoch() == null) {
      throw DomainException.invalid(at + ".epoch", "is required");
    }
    if (item.epoch() < 0) {
      throw DomainException.invalid(at + ".epoch", "must not be negative");
    }
    if (item.leaseToken() == null || item.leaseToken().isBlank()) {
      throw DomainException.invalid(at + ".lease_token", "is required (the claim returned it)");
    }
    ReportType type = type(item.type(), at + ".type");
    for (Map.Entry<String, Object> f : typedFields(item).entrySet()) {
      if (f.getValue() != null && !type.fields().contains(f.getKey())) {
        throw DomainException.invalid(
            at + "." + f.getKey(),
            "is not a field of a " + type.name().toLowerCase(Locale.ROOT) + " report");
      }
    }
    TaskReport lease = new TaskReport(jobId, item.taskIndex(), item.epoch(), item.leaseToken());
    return prefixed(
        at,
        () ->
            switch (type) {
              case HEARTBEAT ->
                  new LeaseReport.Heartbeat(
                      lease,
                      item.progress(),
                      item.items() == null ? null : item.items().toDomain(),
                      item.metrics() == null ? null : item.metrics().toDomain(),
                      item.message());
              case COMPLETE ->
                  new LeaseReport.Complete(
                      lease, LeaseReportFields.outputJson(item.output()), item.changed());
              case FAIL ->
                  new LeaseReport.Fail(
                      lease,
                      LeaseReportFields.failure(item.reason(), item.message()),
                      item.exitCode(),
                      Boolean.TRUE.equals(item.retryable()));
              case STOPPED -> new LeaseReport.Stopped(lease);
            });
  }

  private static ReportType type(String text, String field) {
    if (text == null) {
      throw DomainException.invalid(field, "is required");
    }
    for (ReportType t : ReportType.values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(text)) {
        return t;
      }
    }
    throw DomainException.invalid(field, "must be one of heartbeat, complete, fail, stopped");
  }

  /** The fields that belong to one report type or another, by wire name. */
  private static Map<String, Object> typedFields(LeaseReportItem item) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("progress", item.progress());
    fields.put("items", item.items());
    fields.put("metrics", item.metrics());
    fields.put("message", item.message());
    fields.put("output", item.output());
    fields.put("changed", item.changed());
    fields.put("reason", item.reason());
    fields.put("retryable", item.retryable());
    fields.put("exit_code", item.exitCode());
    return fields;
  }

  /** A parse whose error, whatever field it names, is reported against {@code field}. */
  private static <T> T field(String field, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (DomainException e) {
      String message = e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message();
      throw DomainException.invalid(field, message);
    }
  }

  /** Runs a conversion; an invalid field it names is named under {@code at}. */
  private static <T> T prefixed(String at, Supplier<T> convert) {
    try {
      return convert.get();
    } catch (DomainException e) {
      if (e.reason() != DomainException.Reason.INVALID_ARGUMENT) {
        throw e;
      }
      List<FieldError> errors =
          e.errors().stream().map(f -> new FieldError(at + "." + f.field(), f.message())).toList();
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          errors.isEmpty()
              ? at + ": " + e.getMessage()
              : errors.get(0).field() + ": " + errors.get(0).message(),
          errors.isEmpty() ? List.of(new FieldError(at, e.getMessage())) : errors);
    }
  }
}
