package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of the HTTP protocol (docs/worker-protocol.md), nothing more: one method per
 * endpoint family. Transport errors and 5xx answers are retried with exponential backoff and jitter
 * (Failsafe) for up to {@link WorkerSettings#retryMaxDuration()}; 4xx answers are not retried. A
 * 409, and a 404 to a report on a lease, become {@link LeaseLostException}.
 */
final class WorkerApi {

  private static final Logger log = LoggerFactory.getLogger(WorkerApi.class);
  static final ObjectMapper JSON = new ObjectMapper();

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

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final RetryPolicy<HttpResponse<String>> retry;

  WorkerApi(WorkerSettings settings) {
    String s = settings.server().toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    this.token = settings.token();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.retry =
        RetryPolicy.<HttpResponse<String>>builder()
            .handle(IOException.class)
            .handleResultIf(r -> r.statusCode() >= 500)
            .withBackoff(settings.retryBaseDelay(), settings.retryMaxDelay())
            .withJitter(0.25)
            .withMaxRetries(-1)
            .withMaxDuration(settings.retryMaxDuration())
            .onRetry(
                e -> {
                  // one line per retry window: the first retry says what is wrong and for how long
                  // it is retried; the rest only at debug level
                  String what =
                      e.getLastException() != null
                          ? unreachable(e.getLastException())
                          : base + " answered HTTP " + e.getLastResult().statusCode();
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
    } else {
      why =
          failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
    return "cannot reach " + base + " (" + why + ")";
  }

  private static String spelled(Duration d) {
    return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }

  /** How long a call may take; a claim that waits for work may take that much longer. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /**
   * {@code POST /api/v1/leases}: the leases granted (possibly none), after waiting up to {@code
   * wait} at the server for work (the request's {@code wait_seconds}).
   */
  List<Lease> claim(ObjectNode request, Duration wait) {
    JsonNode answer = post("api/v1/leases", request, CALL_TIMEOUT.plus(wait));
    List<Lease> leases = new ArrayList<>();
    for (JsonNode n : answer.path("leases")) {
      leases.add(Lease.fromJson(n));
    }
    return leases;
  }

  /**
   * {@code DELETE /api/v1/leases/waiting?worker_id=}: the server answers this worker's waiting
   * claim, if any, so that no work is leased to a claim nobody reads. One attempt: the worker is
   * stopping.
   */
  void releaseWaitingClaim(String workerId) {
    HttpRequest request =
        HttpRequest.newBuilder(
                base.resolve(
                    "api/v1/leases/waiting?worker_id="
                        + URLEncoder.encode(workerId, StandardCharsets.UTF_8)))
            .timeout(Duration.ofSeconds(5))
            .header("Authorization", "Bearer " + token)
            .DELETE()
            .build();
    try {
      HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (r.statusCode() != 204) {
        log.debug("Ending the waiting claim answered {}", r.statusCode());
      }
    } catch (IOException e) {
      log.debug("Could not end the waiting claim: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code POST /api/v1/leases/{job_id}/tasks/{task_index}/{what}} with the lease's epoch and lease
   * token added to the body. The server's 404 (not-found problem) is a lost lease like a 409: the
   * job was deleted, or the token may not see it; either way nothing of this task may run on.
   */
  JsonNode report(Lease lease, String what, ObjectNode body) {
    lease.writeFence(body);
    String path = "api/v1/leases/" + lease.jobId() + "/tasks/" + lease.taskIndex() + "/" + what;
    try {
      return post(path, body);
    } catch (ApiException e) {
      if (jobGone(e.status, e.problemType)) {
        throw new LeaseLostException(e.getMessage());
      }
      throw e;
    }
  }

  /**
   * {@code POST /api/v1/leases/reports}: the results, one per report in {@code reports}'s order
   * (see {@link ReportBuffer}).
   */
  List<JsonNode> reportBatch(ArrayNode reports) {
    ObjectNode body = JSON.createObjectNode();
    body.set("reports", reports);
    JsonNode answer = post("api/v1/leases/reports", body);
    List<JsonNode> results = new ArrayList<>();
    answer.path("results").forEach(results::add);
    return results;
  }

  private static String problemType(String body) {
    try {
      JsonNode type = body == null ? null : JSON.readTree(body).get("type");
      return type != null && type.isTextual() ? type.asText() : null;
    } catch (IOException e) {
      return null; // not the server's problem+json
    }
  }

  private JsonNode post(String path, ObjectNode body) {
    return post(path, body, CALL_TIMEOUT);
  }

  private JsonNode post(String path, ObjectNode body, Duration timeout) {
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(timeout)
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .header("Accept", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    HttpResponse<String> response;
    try {
      response =
          Failsafe.with(retry)
              .get(
                  () ->
                      http.send(
                          request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ApiException(0, "POST /" + path + ": " + unreachable(cause), cause);
    }
    int status = response.statusCode();
    if (status == 409) {
      throw new LeaseLostException("POST /" + path + " answered 409: " + response.body());
    }
    if (status < 200 || status > 299) {
      throw new ApiException(
          status,
          problemType(response.body()),
          "POST /" + path + " answered " + status + ": " + response.body(),
          null);
    }
    String text = response.body();
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new ApiException(status, "POST /" + path + " answered invalid JSON", e);
    }
  }
}
