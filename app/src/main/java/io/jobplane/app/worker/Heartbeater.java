package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.StopInstruction;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's heartbeats. Every {@code stopCheckInterval}: one that carries the child's telemetry once
 * every {@code heartbeatInterval} (or every time, when that is not longer), and nothing but the
 * lease in between. The light ones cost the server no telemetry write (no progress sample, no
 * status log line), yet their answers bring a stop request, a revoked lease (409) or a deleted job
 * (404) to the child within about a second. What an answer means is the {@link Task}'s to decide.
 */
final class Heartbeater {

  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

  /** Sends one heartbeat of the lease and answers the stop it asks for, if any. */
  @FunctionalInterface
  interface Reports {
    Optional<StopInstruction> send(LeaseReport heartbeat);
  }

  /** The task that heartbeats: its telemetry, and what becomes of the answers. */
  interface Task {
    /** True once heartbeats must stop (the task is finishing or lost its lease). */
    boolean quiet();

    /** A heartbeat with the child's telemetry, which counts as sent from then on. */
    LeaseReport telemetry();

    void stopRequested(StopInstruction stop);

    /** The server refused the lease (409, or 404 to a report on it). */
    void leaseLost(LeaseLostException e);
  }

  private final Object name;
  private final Duration stopCheckInterval;
  private final Duration heartbeatInterval;
  private final LongSupplier nanoTime;
  private final Reports reports;
  private final Task task;
  private volatile long lastFull;

  /**
   * @param name what log messages call the task (its lease)
   * @param nanoTime the clock of the intervals, {@link System#nanoTime()} but in tests
   */
  Heartbeater(
      Object name,
      Duration stopCheckInterval,
      Duration heartbeatInterval,
      LongSupplier nanoTime,
      Reports reports,
      Task task) {
    this.name = name;
    this.stopCheckInterval = stopCheckInterval;
    this.heartbeatInterval = heartbeatInterval;
    this.nanoTime = nanoTime;
    this.reports = reports;
    this.task = task;
    this.lastFull = nanoTime.getAsLong(); // the claim was as good as a full heartbeat
  }

  /** Heartbeats every {@code stopCheckInterval} (at least 50 ms) until the future is cancelled. */
  ScheduledFuture<?> start(ScheduledExecutorService scheduler) {
    long every = Math.max(50, stopCheckInterval.toMillis());
    return scheduler.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  /** One heartbeat, unless the task is quiet; failures other than a lost lease are logged. */
  void beat() {
    if (task.quiet()) {
      return;
    }
    try {
      long now = nanoTime.getAsLong();
      LeaseReport report;
      if (now - lastFull >= heartbeatInterval.toNanos()
          || stopCheckInterval.compareTo(heartbeatInterval) >= 0) {
        lastFull = now;
        report = task.telemetry();
      } else {
        report = ReportBuffer.heartbeat();
      }
      reports.send(report).ifPresent(task::stopRequested);
    } catch (LeaseLostException e) {
      task.leaseLost(e);
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat failed: {}", name, e.getMessage());
    }
  }
}
