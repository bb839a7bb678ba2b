package io.jobplane.app.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.jobplane.client.ApiClient;
import io.jobplane.client.api.WorkersApi;
import io.jobplane.client.model.CheckpointReport;
import io.jobplane.client.model.ClaimRequest;
import io.jobplane.client.model.ClaimResponse;
import io.jobplane.client.model.CompleteRequest;
import io.jobplane.client.model.FailRequest;
import io.jobplane.client.model.HeartbeatRequest;
import io.jobplane.client.model.HeartbeatResponse;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.LeaseReportResult;
import io.jobplane.client.model.LeaseReportsRequest;
import io.jobplane.client.model.LeaseReportsResponse;
import io.jobplane.client.model.LogsReport;
import io.jobplane.client.model.OutputReport;
import io.jobplane.client.model.StopInstruction;
import io.jobplane.client.model.StoppedRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of the HTTP protocol (docs/worker-protocol.md) through the generated SDK's {@link
 * WorkersApi}, one method per endpoint, and the one place where the SDK's exception becomes the
 * worker's own: transport errors and 5xx answers are retried with exponential backoff and jitter
 * (Failsafe) for up to {@link WorkerSettings#retryMaxDuration()}; 4xx answers are not retried. A
 * 409, and the server's 404 to a report on a lease, become {@link LeaseLostException}; any other
 * failure {@link ApiException}.
 */
final class WorkerApi {

  private static final Logger log = LoggerFactory.getLogger(WorkerApi.class);

  /**
   * The server answered 409 (the lease is stale) or 404 (the job is gone, or not the token's) to a
   * report: the task must be abandoned.
   */
  static final class LeaseLostException extends RuntimeException {
    LeaseLostException(String message) {
      super(message);
    }
  }

  /** Any other answer than 2xx (after retries, for 5xx), or a call that could not be made. */
  static final class ApiException extends RuntimeException {
    final int status;

    /** The answer's problem {@code type}, when it was the server's problem+json; else null. */
    final String problemType;

    ApiException(int status, String message, Throwable cause) {
      this(status, null, message, cause);
    }

    ApiException(int status, String problemType, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
      this.problemType = problemType;
    }
  }

  /** The server's problem type of a job that does not exist, or that the token may not see. */
  static final String NOT_FOUND_PROBLEM = "https://jobplane.io/problems/not-found";

  /**
   * Whether an answer to a report on a lease says that the job is gone: the server's own 404
   * problem, not any 404 (a proxy or a server without the route answers 404 too, and must not stop
   * running jobs).
   */
  static boolean jobGone(int status, String problemType) {
    return status == 404 && NOT_FOUND_PROBLEM.equals(problemType);
  }

  /** How long a call may take; a claim that waits for work may take that much longer. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Ending the waiting claim is one short attempt: the worker is stopping. */
  private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(5);

  private static final ObjectMapper PROBLEM_JSON = new ObjectMapper();

  private final String base;
  private final WorkersApi calls;
  private final WorkersApi claims;
  private final WorkersApi release;
  private final RetryPolicy<Object> retry;

  WorkerApi(WorkerSettings settings) {
    String s = settings.server().toString();
    this.base = s.endsWith("/") ? s : s + "/";
    // the SDK applies one read timeout per client: the long-poll claim's is its wait plus a margin
    ObjectMapper mapper = mapper();
    this.calls = new WorkersApi(client(settings, mapper, CALL_TIMEOUT));
    this.claims = new WorkersApi(client(settings, mapper, CALL_TIMEOUT.plus(settings.claimWait())));
    this.release = new WorkersApi(client(settings, mapper, RELEASE_TIMEOUT));
    this.retry =
        RetryPolicy.builder()
            .handleIf(WorkerApi::retryable)
            .withBackoff(settings.retryBaseDelay(), settings.retryMaxDelay())
            .withJitter(0.25)
            .withMaxRetries(-1)
            .withMaxDuration(settings.retryMaxDuration())
            .onRetry(
                e -> {
                  // one line per retry window: the first retry says what is wrong and for how long
                  // it is retried; the rest only at debug level
                  String what = failed(e.getLastException());
                  if (e.getAttemptCount() == 1) {
                    log.warn(
                        "{}; retrying for up to {}", what, spelled(settings.retryMaxDuration()));
                  } else {
                    log.debug("{} (retry {})", what, e.getAttemptCount());
                  }
                })
            .build();
  }

  /**
   * A lease without a token (from a server before lease tokens, which refuses the field) sends
   * none: the SDK writes a required field even when it is null.
   */
  private abstract static class LeaseTokenWhenThere {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    abstract String getLeaseToken();
  }

  /**
   * The SDK's mapper, reading JSON numbers with fractions as BigDecimal so that a job's input
   * reaches the child digit for digit, and leaving out a missing lease token.
   */
  private static ObjectMapper mapper() {
    ObjectMapper mapper =
        ApiClient.createDefaultObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    for (Class<?> report :
        List.of(
            HeartbeatRequest.class,
            CompleteRequest.class,
            FailRequest.class,
            StoppedRequest.class,
            LeaseReport.class)) {
      mapper.addMixIn(report, LeaseTokenWhenThere.class);
    }
    return mapper;
  }

  /** The token goes in by the interceptor only, which prints nothing. */
  private static ApiClient client(WorkerSettings settings, ObjectMapper mapper, Duration timeout) {
    ApiClient client =
        new ApiClient(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)),
            mapper,
            settings.server().toString().replaceAll("/+$", ""));
    client.setReadTimeout(timeout);
    String token = settings.token();
    client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + token));
    return client;
  }

  /** Transport failures (not an unreadable answer) and 5xx answers are worth another attempt. */
  private static boolean retryable(Throwable failure) {
    if (failure instanceof io.jobplane.client.ApiException e) {
      return e.getCode() >= 500
          || (e.getCode() == 0
              && e.getCause() instanceof IOException
              && !(e.getCause() instanceof JsonProcessingException));
    }
    return false;
  }

  private String failed(Throwable failure) {
    if (failure instanceof io.jobplane.client.ApiException e && e.getCode() != 0) {
      return base + " answered HTTP " + e.getCode();
    }
    return unreachable(
        failure != null && failure.getCause() != null ? failure.getCause() : failure);
  }

  /**
   * A transport failure in a user's words: "cannot reach http://host:8080/ (connection refused)".
   */
  String unreachable(Throwable failure) {
    String why;
    if (failure instanceof java.net.ConnectException) {
      why = "connection refused";
    } else if (failure instanceof java.net.http.HttpConnectTimeoutException) {
      why = "connect timed out";
    } else if (failure instanceof java.net.http.HttpTimeoutException) {
      why = "no answer in time";
    } else if (failure instanceof java.net.UnknownHostException) {
      why = "unknown host";
    } else if (failure == null) {
      why = "no answer";
    } else {
      why =
          failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
    return "cannot reach " + base + " (" + why + ")";
  }

  private static String spelled(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /**
   * {@code POST /api/v1/leases}: the leases granted (possibly none), after waiting up to the
   * request's {@code wait_seconds} at the server for work.
   */
  List<Lease> claim(ClaimRequest request) {
    ClaimResponse answer = call("POST /api/v1/leases", false, () -> claims.claimLeases(request));
    if (answer == null || answer.getLeases() == null) {
      return List.of();
    }
    return answer.getLeases().stream().map(Lease::new).toList();
  }

  /**
   * {@code DELETE /api/v1/leases/waiting?worker_id=}: the server answers this worker's waiting
   * claim, if any, so that no work is leased to a claim nobody reads. One attempt: the worker is
   * stopping.
   */
  void releaseWaitingClaim(String workerId) {
    try {
      release.releaseWaitingClaim(workerId);
    } catch (io.jobplane.client.ApiException e) {
      log.debug(
          "Could not end the waiting claim: {}",
          e.getCode() == 0 ? unreachable(e.getCause()) : "answered " + e.getCode());
    }
  }

  /** {@code POST .../heartbeat}: the stop the task is asked for, if any. */
  Optional<StopInstruction> heartbeat(Lease lease, HeartbeatRequest body) {
    HeartbeatResponse answer =
        onLease(
            lease,
            "heartbeat",
            calls::heartbeatLease,
            body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
    return Optional.ofNullable(answer).map(HeartbeatResponse::getStop);
  }

  void complete(Lease lease, CompleteRequest body) {
    onLease(
        lease,
        "complete",
        calls::completeTask,
        body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  void fail(Lease lease, FailRequest body) {
    onLease(
        lease, "fail", calls::failTask, body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  void stopped(Lease lease) {
    onLease(
        lease,
        "stopped",
        calls::reportTaskStopped,
        new StoppedRequest().epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  void logs(Lease lease, LogsReport body) {
    onLease(
        lease,
        "logs",
        calls::reportTaskLogs,
        body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  void output(Lease lease, OutputReport body) {
    onLease(
        lease,
        "output",
        calls::reportTaskOutput,
        body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  void checkpoint(Lease lease, CheckpointReport body) {
    onLease(
        lease,
        "checkpoints",
        calls::reportTaskCheckpoint,
        body.epoch(lease.epoch()).leaseToken(lease.leaseToken()));
  }

  /**
   * {@code POST /api/v1/leases/reports}: the results, one per report in {@code reports}'s order
   * (see {@link ReportBuffer}).
   */
  List<LeaseReportResult> reportBatch(List<LeaseReport> reports) {
    LeaseReportsResponse answer =
        call(
            "POST /api/v1/leases/reports",
            false,
            () -> calls.reportOnLeases(new LeaseReportsRequest().reports(reports)));
    return answer == null || answer.getResults() == null ? List.of() : answer.getResults();
  }

  /** An SDK call on one lease: {@code POST /api/v1/leases/{job_id}/tasks/{task_index}/...}. */
  @FunctionalInterface
  private interface LeaseEndpoint<B, T> {
    T call(UUID jobId, Integer taskIndex, B body) throws io.jobplane.client.ApiException;
  }

  /**
   * A call on the lease: the server's 404 (not-found problem) is a lost lease like a 409: the job
   * was deleted, or the token may not see it; either way nothing of this task may run on.
   */
  private <B, T> T onLease(Lease lease, String what, LeaseEndpoint<B, T> endpoint, B body) {
    return call(
        "POST /api/v1/leases/" + lease.jobId() + "/tasks/" + lease.taskIndex() + "/" + what,
        true,
        () -> endpoint.call(lease.jobUuid(), lease.taskIndex(), body));
  }

  /** The only place an SDK exception is caught: it leaves as the worker's own. */
  private <T> T call(String request, boolean onLease, CheckedSupplier<T> call) {
    try {
      return Failsafe.with(retry).get(call);
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof io.jobplane.client.ApiException sdk && sdk.getCode() != 0) {
        throw refused(request, onLease, sdk);
      }
      // the SDK wraps what went wrong in the transport; Failsafe's own interrupt comes bare
      Throwable why =
          cause instanceof io.jobplane.client.ApiException && cause.getCause() != null
              ? cause.getCause()
              : cause;
      if (why instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        throw new ApiException(0, request + ": interrupted", why);
      }
      if (why instanceof JsonProcessingException) {
        throw new ApiException(0, request + " answered invalid JSON", why);
      }
      throw new ApiException(0, request + ": " + unreachable(why), why);
    }
  }

  private static RuntimeException refused(
      String request, boolean onLease, io.jobplane.client.ApiException e) {
    int status = e.getCode();
    String body = e.getResponseBody();
    String message = request + " answered " + status + ": " + body;
    if (status == 409) {
      return new LeaseLostException(message);
    }
    String type = problemType(body);
    if (onLease && jobGone(status, type)) {
      return new LeaseLostException(message);
    }
    return new ApiException(status, type, message, null);
  }

  private static String problemType(String body) {
    try {
      JsonNode type = body == null ? null : PROBLEM_JSON.readTree(body).get("type");
      return type != null && type.isTextual() ? type.asText() : null;
    } catch (IOException e) {
      return null; // not the server's problem+json
    }
  }
}
