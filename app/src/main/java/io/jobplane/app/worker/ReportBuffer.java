package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.CompleteRequest;
import io.jobplane.client.model.FailRequest;
import io.jobplane.client.model.HeartbeatRequest;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.LeaseReportResult;
import io.jobplane.client.model.StopInstruction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * blocks until then, so a task sees the same answers as with the single-lease calls: a heartbeat's
 * stop instruction when accepted, {@link LeaseLostException} when the server refused the lease
 * (409: stale; 404: the job is gone or not the token's; either way abandon the task), {@link
 * ApiException} otherwise. A flush that fails is retried like every call ({@link WorkerApi}:
 * transport errors and 5xx, with backoff); when it still fails, every report in it fails with that
 * error.
 *
 * <p>With an interval of 0, or against a server that does not know the batch endpoint (404 or 405
 * on it), reports go out at once with the single-lease calls.
 */
final class ReportBuffer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReportBuffer.class);

  /** Most reports one batch call carries (the server's limit). */
  static final int MAX_REPORTS = 100;

  private record Pending(
      Lease lease, LeaseReport report, CompletableFuture<Optional<StopInstruction>> answer) {
    String type() {
      return report.getType().getValue();
    }
  }

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

  /** A heartbeat; its telemetry (progress, items, metrics, message) is set by the caller. */
  static LeaseReport heartbeat() {
    return report(LeaseReport.TypeEnum.HEARTBEAT);
  }

  /** A completion; {@code output} null when the task printed none. */
  static LeaseReport complete(Map<String, Object> output, Boolean changed) {
    return report(LeaseReport.TypeEnum.COMPLETE).output(output).changed(changed);
  }

  static LeaseReport fail(String reason, String message, boolean retryable, Integer exitCode) {
    return report(LeaseReport.TypeEnum.FAIL)
        .reason(reason)
        .message(message)
        .retryable(retryable)
        .exitCode(exitCode);
  }

  static LeaseReport stopped() {
    return report(LeaseReport.TypeEnum.STOPPED);
  }

  /**
   * The SDK starts {@code output} as an empty object, which the server refuses on any report but a
   * completion, and which would turn a completion without output into one with {@code {}}.
   */
  private static LeaseReport report(LeaseReport.TypeEnum type) {
    return new LeaseReport().type(type).output(null);
  }

  /**
   * Reports one of {@link #heartbeat()}, {@link #complete}, {@link #fail} or {@link #stopped()} for
   * the lease and waits for the answer to it: the stop an accepted heartbeat asks for, if any.
   */
  Optional<StopInstruction> send(Lease lease, LeaseReport report) {
    Pending p = new Pending(lease, report, new CompletableFuture<>());
    if (single) {
      return alone(p);
    }
    synchronized (pending) {
      if (closed) {
        throw new ApiException(0, "the worker is shutting down; " + p.type() + " not sent", null);
      }
      pending.add(p);
    }
    try {
      return p.answer().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new ApiException(0, "reporting " + p.type() + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(0, "interrupted while reporting " + p.type(), e);
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
    List<LeaseReport> reports = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      Lease lease = p.lease();
      reports.add(
          p.report()
              .jobId(lease.jobUuid())
              .taskIndex(lease.taskIndex())
              .epoch(lease.epoch())
              .leaseToken(lease.leaseToken()));
    }
    List<LeaseReportResult> results;
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
  private static void route(Pending p, LeaseReportResult result) {
    if (Boolean.TRUE.equals(result.getAccepted())) {
      p.answer().complete(Optional.ofNullable(result.getStop()));
      return;
    }
    int status = result.getStatus() == null ? 0 : result.getStatus();
    String what =
        "the server refused "
            + p.type()
            + " for "
            + p.lease()
            + " ("
            + status
            + "): "
            + (result.getDetail() == null ? "" : result.getDetail());
    p.answer()
        .completeExceptionally(
            status == 409 || WorkerApi.jobGone(status, result.getType())
                ? new LeaseLostException(what)
                : new ApiException(status, what, null));
  }

  private void sendAlone(Pending p) {
    try {
      p.answer().complete(alone(p));
    } catch (RuntimeException e) {
      p.answer().completeExceptionally(e);
    }
  }

  /** The report with the single-lease call of its type. */
  private Optional<StopInstruction> alone(Pending p) {
    LeaseReport r = p.report();
    switch (r.getType()) {
      case HEARTBEAT:
        return api.heartbeat(
            p.lease(),
            new HeartbeatRequest()
                .progress(r.getProgress())
                .items(r.getItems())
                .metrics(r.getMetrics())
                .message(r.getMessage()));
      case COMPLETE:
        api.complete(
            p.lease(), new CompleteRequest().output(r.getOutput()).changed(r.getChanged()));
        return Optional.empty();
      case FAIL:
        api.fail(
            p.lease(),
            new FailRequest()
                .reason(r.getReason())
                .message(r.getMessage())
                .retryable(r.getRetryable())
                .exitCode(r.getExitCode()));
        return Optional.empty();
      case STOPPED:
        api.stopped(p.lease());
        return Optional.empty();
      default:
        throw new IllegalArgumentException("not a report on a lease: " + r.getType());
    }
  }
}
