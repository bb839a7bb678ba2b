package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.StopInstruction;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leased task, from the start of its child to the report of how it ended. It puts the pieces
 * together and decides what happens: the {@link ChildProcess} runs the job's command, {@link
 * ChildOutput} turns what it prints into telemetry ({@link TaskTelemetry}), reports and log lines
 * (the {@link LogShipper}), the {@link Heartbeater} keeps the lease, and this class obeys stop
 * requests, the job's timeout and the worker's shutdown and reports the end.
 *
 * <p>Heartbeats and the final report go through the worker's {@link ReportBuffer} (batched with
 * other tasks' reports), logs, output and checkpoints straight to their calls. After a 409 or a 404
 * to a report (single or in a batch answer: the lease was revoked, or the job deleted) it stops the
 * child (SIGTERM, then SIGKILL after {@link #LOST_LEASE_KILL_GRACE}) and reports nothing more.
 */
final class TaskRun implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

  /**
   * Between SIGTERM and SIGKILL once the lease is lost: the task may already run elsewhere, so the
   * child gets a moment to clean up, not the stop's grace.
   */
  static final Duration LOST_LEASE_KILL_GRACE = Duration.ofSeconds(2);

  private final Lease lease;
  private final ReportBuffer reports;
  private final WorkerSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Consumer<TaskRun> onDone;
  private final TaskTelemetry telemetry = new TaskTelemetry();
  private final LogShipper logs;
  private final ChildOutput output;
  private final Heartbeater heartbeater;

  private volatile ChildProcess child;
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile boolean finishing;
  private volatile boolean reported;
  private final AtomicReference<String> stopMode = new AtomicReference<>();
  private final AtomicBoolean shutdownStop = new AtomicBoolean();
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private final long leasedAt = System.nanoTime();

  TaskRun(
      Lease lease,
      WorkerApi api,
      ReportBuffer reports,
      WorkerSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<TaskRun> onDone) {
    this.lease = lease;
    this.reports = reports;
    this.settings = settings;
    this.scheduler = scheduler;
    this.onDone = onDone;
    this.logs = new LogShipper(lease, batch -> api.logs(lease, batch), this::closed);
    this.output = new ChildOutput(lease, api, telemetry, logs, this::closed);
    this.heartbeater =
        new Heartbeater(
            lease,
            settings.stopCheckInterval(),
            settings.heartbeatInterval(),
            System::nanoTime,
            heartbeat -> reports.send(lease, heartbeat),
            new Heartbeats());
  }

  Lease lease() {
    return lease;
  }

  /** Nothing more is reported for the task: its lease is lost, or its end reported. */
  private boolean closed() {
    return lost.get() || reported;
  }

  @Override
  public void run() {
    try {
      runTask();
    } catch (LeaseLostException e) {
      leaseLost(e);
    } catch (ApiException e) {
      log.error("Could not report the end of {}: {}", lease, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("Interrupted while running {}", lease);
    } catch (RuntimeException e) {
      log.error("Unexpected error while running {}", lease, e);
    } finally {
      finishing = true;
      ChildProcess c = child;
      if (c != null && c.isAlive()) {
        c.signalTree(true);
      }
      onDone.accept(this);
    }
  }

  private void runTask() throws InterruptedException {
    List<String> command = lease.job().getCommand();
    if (command == null || command.isEmpty()) {
      log.warn("{} has no command; failing it with NO_COMMAND", lease);
      finishing = true;
      fail("NO_COMMAND", "the job has no command for a worker to run", false, null);
      return;
    }
    List<String> argv = new ArrayList<>();
    command.forEach(a -> argv.add(String.valueOf(a)));
    ProcessBuilder builder = ChildProcess.command(lease, argv, settings);
    try {
      child = ChildProcess.start(lease, argv, builder);
    } catch (IOException | RuntimeException e) {
      log.warn("{} could not start {}: {}", lease, argv, e.getMessage());
      finishing = true;
      fail("START_FAILED", "could not start " + argv.get(0) + ": " + e.getMessage(), false, null);
      return;
    }
    child.readOutput(output::line, this::leaseLost);
    ScheduledFuture<?> heartbeats = heartbeater.start(scheduler);
    ScheduledFuture<?> timeout = scheduleTimeout();
    ScheduledFuture<?> flushes = logs.start(scheduler, this::leaseLost);
    int exitCode;
    try {
      exitCode = child.waitFor();
    } finally {
      heartbeats.cancel(false);
      flushes.cancel(false);
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
    if (lost.get()) {
      return;
    }
    logs.flush();
    finishing = true;
    if (lost.get()) {
      return;
    }
    reportEnd(exitCode);
  }

  /** After the child exited on its own or was stopped: the report of how the task ended. */
  private void reportEnd(int exitCode) {
    if (telemetry.unsent()) {
      // the last progress, items and metrics, which the child may have printed after the last
      // heartbeat; a 409 here ends the task like any other
      reports.send(lease, telemetry.heartbeatReport());
    }
    String stop = stopMode.get();
    if (stop != null) {
      reports.send(lease, ReportBuffer.stopped());
      log.info("{} stopped ({}) with exit code {}", lease, stop, exitCode);
    } else if (shutdownStop.get()) {
      fail(
          "WORKER_SHUTDOWN",
          "the worker shut down before the task finished (exit code " + exitCode + ")",
          true,
          exitCode);
    } else if (timedOut.get()) {
      fail(
          "TIMEOUT",
          "the job's timeout of "
              + timeoutSeconds()
              + " s passed; the worker stopped the command (exit code "
              + exitCode
              + ")",
          false,
          exitCode);
    } else if (exitCode == 0) {
      reports.send(lease, telemetry.completeReport());
      log.info("{} succeeded", lease);
    } else {
      String last = output.lastStderr();
      fail(
          "EXIT_CODE", "exit code " + exitCode + (last == null ? "" : ": " + last), true, exitCode);
    }
    reported = true;
  }

  private void fail(String reason, String text, boolean retryable, Integer exitCode) {
    reports.send(
        lease, ReportBuffer.fail(reason, ChildText.truncate(text, 1000), retryable, exitCode));
    reported = true;
    log.info("{} failed: {} ({}, retryable {})", lease, reason, text, retryable);
  }

  // ---- stopping ----

  /** What the heartbeats' answers do to this task. */
  private final class Heartbeats implements Heartbeater.Task {
    @Override
    public boolean quiet() {
      return finishing || lost.get();
    }

    @Override
    public LeaseReport telemetry() {
      return telemetry.heartbeatReport();
    }

    @Override
    public void stopRequested(StopInstruction stop) {
      onStopRequest(stop);
    }

    @Override
    public void leaseLost(LeaseLostException e) {
      if (!finishing) { // the end report's own answer decides from here on
        TaskRun.this.leaseLost(e);
      }
    }
  }

  private void onStopRequest(StopInstruction stop) {
    String mode = stop.getMode() == null ? "graceful" : stop.getMode().getValue();
    if (!stopMode.compareAndSet(null, mode)) {
      return;
    }
    Duration wait = settings.killGrace();
    if (mode.equals("graceful") && stop.getDeadline() != null) {
      wait = Duration.between(Instant.now(), stop.getDeadline().toInstant());
      if (wait.isNegative()) {
        wait = Duration.ZERO;
      }
    }
    log.info(
        "{}: stop ({}) requested; SIGTERM now, SIGKILL in {} s", lease, mode, wait.toSeconds());
    terminate(wait);
  }

  /** Worker shutdown: SIGTERM, SIGKILL after the kill grace; reported as WORKER_SHUTDOWN. */
  void stopForShutdown() {
    if (shutdownStop.compareAndSet(false, true)) {
      log.info("{}: worker shutting down; terminating the child", lease);
      terminate(settings.killGrace());
    }
  }

  /**
   * The job's own {@code timeout_seconds}, enforced here too: counted from the lease, which is
   * never before the job started (the server counts from then), so the server normally times the
   * task out first and the next heartbeat's 409 stops the child. This stops it even when the server
   * cannot be reached.
   */
  private ScheduledFuture<?> scheduleTimeout() {
    Integer seconds = timeoutSeconds();
    if (seconds == null) {
      return null;
    }
    long left = TimeUnit.SECONDS.toNanos(seconds) - (System.nanoTime() - leasedAt);
    return scheduler.schedule(this::onTimeout, Math.max(0, left), TimeUnit.NANOSECONDS);
  }

  private Integer timeoutSeconds() {
    Integer t = lease.job().getTimeoutSeconds();
    return t != null && t > 0 ? t : null;
  }

  private void onTimeout() {
    if (finishing || lost.get() || stopMode.get() != null || shutdownStop.get()) {
      return;
    }
    if (timedOut.compareAndSet(false, true)) {
      log.info(
          "{}: the job's timeout of {} s passed; SIGTERM now, SIGKILL in {} s",
          lease,
          timeoutSeconds(),
          settings.killGrace().toSeconds());
      terminate(settings.killGrace());
    }
  }

  /** SIGTERM to the child's tree now, SIGKILL after {@code killAfter}. */
  private void terminate(Duration killAfter) {
    signalTree(false);
    scheduler.schedule(
        () -> {
          ChildProcess c = child;
          if (c != null && c.isAlive()) {
            log.warn("{}: child still alive; SIGKILL", lease);
          }
          signalTree(true);
        },
        killAfter.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void signalTree(boolean force) {
    ChildProcess c = child;
    if (c != null) {
      c.signalTree(force);
    }
  }

  /**
   * A 409 or 404 to a report: the task is no longer this worker's (revoked, timed out, force
   * stopped, deleted). The child and everything it started get SIGTERM at once and SIGKILL after
   * {@link #LOST_LEASE_KILL_GRACE} (or the kill grace, when shorter); nothing more is reported.
   */
  private void leaseLost(RuntimeException e) {
    if (lost.compareAndSet(false, true)) {
      Duration grace =
          settings.killGrace().compareTo(LOST_LEASE_KILL_GRACE) < 0
              ? settings.killGrace()
              : LOST_LEASE_KILL_GRACE;
      log.warn(
          "{}: lease lost ({}); SIGTERM to the child now, SIGKILL in {} ms; reporting nothing more",
          lease,
          e.getMessage(),
          grace.toMillis());
      terminate(grace);
    }
  }
}
