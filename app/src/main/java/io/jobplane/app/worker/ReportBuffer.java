package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats, completions, failures and stop acknowledgements of all the worker's tasks, sent
 * together: a report waits in the buffer until the next flush (every {@code --report-interval-ms},
 * default 100 ms), which sends everything pending with {@code POST /api/v1/leases/reports} (at most
 * {@value #MAX_REPORTS} a call) and hands each task the result for its own lease. {@link #send}
 * blocks until then, so a task sees the same answers as with the single-lease calls: the answer
 * body when accepted, {@link LeaseLostException} when the server refused the lease (409: abandon
 * the task), {@link ApiException} otherwise. A flush that fails is retried like every call ({@link
 * WorkerApi}: transport errors and 5xx, with backoff); when it still fails, every report in it
 * fails with that error.
 *
 * <p>With an interval of 0, or against a server that does not know the batch endpoint (404 or 405
 * on it), reports go out at once with the single-lease calls.
 */
final class ReportBuffer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReportBuffer.class);

  /** Most reports one batch call carries (the server's limit). */
  static final int MAX_REPORTS = 100;

  private record Pending(
      Lease lease, String type, ObjectNode body, CompletableFuture<JsonNode> answer) {}

  private final WorkerApi api;
  private final List<Pending> pending = new ArrayList<>();
  private final ScheduledExecutorService flusher;
  private volatile boolean single;
  private boolean closed;

  ReportBuffer(WorkerApi api, Duration interval) {
    this.api = api;
    this.single = interval.isZero();
    if (single) {
      flusher = null;
    } else {
      flusher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "worker-reports");
                t.setDaemon(true);
                return t;
              });
      long every = interval.toMillis();
      flusher.scheduleWithFixedDelay(this::flushQuietly, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Reports {@code type} (heartbeat, complete, fail or stopped) for the lease and waits for the
   * answer to it.
   */
  JsonNode send(Lease lease, String type, ObjectNode body) {
    if (single) {
      return api.report(lease, type, body);
    }
    Pending p = new Pending(lease, type, body, new CompletableFuture<>());
    synchronized (pending) {
      if (closed) {
        throw new ApiException(0, "the worker is shutting down; " + type + " not sent", null);
      }
      pending.add(p);
    }
    try {
      return p.answer().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ApiException(0, "reporting " + type + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted while reporting " + type, e);
    }
  }

  /** Sends what is pending, then stops; later reports fail at once. */
  @Override
  public void close() {
    if (flusher == null) {
      return;
    }
    synchronized (pending) {
      closed = true;
    }
    flusher.shutdown();
    try {
      if (!flusher.awaitTermination(30, TimeUnit.SECONDS)) {
        flusher.shutdownNow();
      }
    } catch (InterruptedException e) {
      flusher.shutdownNow();
      Thread.currentThread().interrupt();
    }
    flush(); // whatever came in after the flusher's last run
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("Flushing reports failed", e);
    }
  }

  /** Sends everything pending, {@value #MAX_REPORTS} reports a call. */
  void flush() {
    while (true) {
      List<Pending> batch;
      synchronized (pending) {
        if (pending.isEmpty()) {
          return;
        }
        List<Pending> head = pending.subList(0, Math.min(MAX_REPORTS, pending.size()));
        batch = new ArrayList<>(head);
        head.clear();
      }
      if (single) {
        batch.forEach(this::sendAlone);
      } else {
        sendBatch(batch);
      }
    }
  }

  private void sendBatch(List<Pending> batch) {
    ArrayNode reports = WorkerApi.JSON.createArrayNode();
    for (Pending p : batch) {
      ObjectNode item = reports.addObject();
      item.put("job_id", p.lease().jobId());
      item.put("task_index", p.lease().taskIndex());
      item.put("epoch", p.lease().epoch());
      item.put("lease_token", p.lease().leaseToken());
      item.put("type", p.type());
      item.setAll(p.body());
    }
    List<JsonNode> results;
    try {
      results = api.reportBatch(reports);
    } catch (ApiException e) {
      if (e.status == 404 || e.status == 405) {
        log.warn(
            "The server does not take batched reports ({}); reporting lease by lease from now on",
            e.getMessage());
        single = true;
        batch.forEach(this::sendAlone);
        return;
      }
      batch.forEach(p -> p.answer().completeExceptionally(e));
      return;
    } catch (RuntimeException e) {
      batch.forEach(p -> p.answer().completeExceptionally(e));
      return;
    }
    if (results.size() != batch.size()) {
      ApiException e =
          new ApiException(
              200,
              "the server answered " + results.size() + " results for " + batch.size() + " reports",
              null);
      batch.forEach(p -> p.answer().completeExceptionally(e));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      route(batch.get(i), results.get(i));
    }
  }

  /** Hands one task the result for its lease, as the single-lease call would have answered. */
  private static void route(Pending p, JsonNode result) {
    if (result.path("accepted").asBoolean(false)) {
      p.answer().complete(result);
      return;
    }
    int status = result.path("status").asInt(0);
    String what =
        "the server refused "
            + p.type()
            + " for "
            + p.lease()
            + " ("
            + status
            + "): "
            + result.path("detail").asText("");
    p.answer()
        .completeExceptionally(
            status == 409 ? new LeaseLostException(what) : new ApiException(status, what, null));
  }

  private void sendAlone(Pending p) {
    try {
      p.answer().complete(api.report(p.lease(), p.type(), p.body()));
    } catch (RuntimeException e) {
      p.answer().completeExceptionally(e);
    }
  }
}
