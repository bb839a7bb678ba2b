package io.jobplane.app.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.CheckpointReport;
import io.jobplane.client.model.Items;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.LogLineReport;
import io.jobplane.client.model.LogsReport;
import io.jobplane.client.model.OutputRecordReport;
import io.jobplane.client.model.OutputReport;
import io.jobplane.client.model.StopInstruction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One leased task: runs the job's command as a child process, streams its output as logs, turns its
 * {@code ##jobplane} lines into reports, heartbeats, obeys stop requests, and reports how it ended.
 * Heartbeats and the final report go through the worker's {@link ReportBuffer} (batched with other
 * tasks' reports), logs, output and checkpoints straight to their calls. After a 409 or a 404 to a
 * report (single or in a batch answer: the lease was revoked, or the job deleted) it stops the
 * child (SIGTERM, then SIGKILL after {@link #LOST_LEASE_KILL_GRACE}) and reports nothing more.
 *
 * <p>The child starts from an empty environment plus the worker's allow-list ({@link
 * ChildEnvironment}), the job's {@code env} and the {@code JOBPLANE_*} variables of the lease.
 */
final class TaskRun implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);

  static final int BATCH_LINES = 200;
  static final long FLUSH_EVERY_MS = 500;
  static final int MAX_LINES_PER_CALL = 1000;
  static final int MAX_LINE_CHARS = 16_384;
  private static final long READER_DRAIN_MS = 2_000;

  /**
   * Between SIGTERM and SIGKILL once the lease is lost: the task may already run elsewhere, so the
   * child gets a moment to clean up, not the stop's grace.
   */
  static final Duration LOST_LEASE_KILL_GRACE = Duration.ofSeconds(2);

  private final Lease lease;
  private final WorkerApi api;
  private final ReportBuffer reports;
  private final WorkerSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Consumer<TaskRun> onDone;

  private final Object stateLock = new Object();
  private Double progress;
  private Long itemsTotal;
  private Long itemsCompleted;
  private Long itemsFailed;
  private final Map<String, Number> metrics = new LinkedHashMap<>();
  private String message;
  private boolean dirty;

  private volatile JsonNode lastOutput;
  private volatile Boolean changed;
  private volatile String lastStderr;

  private final List<LogLineReport> pendingLines = new ArrayList<>();
  private final Object flushLock = new Object();

  private volatile Process process;
  private final Set<ProcessHandle> knownTree = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile boolean finishing;
  private volatile boolean reported;
  private final AtomicReference<String> stopMode = new AtomicReference<>();
  private final AtomicBoolean shutdownStop = new AtomicBoolean();
  private final AtomicBoolean timedOut = new AtomicBoolean();
  private final long leasedAt = System.nanoTime();
  private volatile long lastFullHeartbeat = System.nanoTime();

  TaskRun(
      Lease lease,
      WorkerApi api,
      ReportBuffer reports,
      WorkerSettings settings,
      ScheduledExecutorService scheduler,
      Consumer<TaskRun> onDone) {
    this.lease = lease;
    this.api = api;
    this.reports = reports;
    this.settings = settings;
    this.scheduler = scheduler;
    this.onDone = onDone;
  }

  Lease lease() {
    return lease;
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
      Process p = process;
      if (p != null && p.isAlive()) {
        killTree(true);
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
    RunAs runAs = settings.runAs();
    ProcessBuilder builder = new ProcessBuilder(runAs == null ? argv : runAs.wrap(argv));
    Map<String, String> env = builder.environment();
    env.clear(); // nothing of the worker's environment but the allow-list
    environment(env);
    try {
      process = builder.start();
    } catch (IOException | RuntimeException e) {
      log.warn("{} could not start {}: {}", lease, argv, e.getMessage());
      finishing = true;
      fail("START_FAILED", "could not start " + argv.get(0) + ": " + e.getMessage(), false, null);
      return;
    }
    log.info("Started {} as pid {}: {}", lease, process.pid(), argv);
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      log.debug("Could not close the child's stdin", e);
    }
    Thread out = reader(process.getInputStream(), "stdout");
    Thread err = reader(process.getErrorStream(), "stderr");
    long every = Math.max(50, settings.stopCheckInterval().toMillis());
    ScheduledFuture<?> heartbeats =
        scheduler.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> timeout = scheduleTimeout();
    ScheduledFuture<?> flushes =
        scheduler.scheduleWithFixedDelay(
            this::flushQuietly, FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
    int exitCode;
    try {
      exitCode = process.waitFor();
      out.join(READER_DRAIN_MS);
      err.join(READER_DRAIN_MS);
      if (out.isAlive() || err.isAlive()) {
        log.warn(
            "{}: the child exited but something it started still holds its output open;"
                + " later lines are dropped",
            lease);
      }
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
    flush();
    finishing = true;
    if (lost.get()) {
      return;
    }
    boolean unsent;
    synchronized (stateLock) {
      unsent = dirty;
    }
    if (unsent) {
      // the last progress, items and metrics, which the child may have printed after the last
      // heartbeat; a 409 here ends the task like any other
      reports.send(lease, heartbeatReport());
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
      reports.send(lease, ReportBuffer.complete(completionOutput(), changed));
      log.info("{} succeeded", lease);
    } else {
      String last = lastStderr;
      fail(
          "EXIT_CODE", "exit code " + exitCode + (last == null ? "" : ": " + last), true, exitCode);
    }
    reported = true;
  }

  private void fail(String reason, String text, boolean retryable, Integer exitCode) {
    reports.send(lease, ReportBuffer.fail(reason, truncate(text, 1000), retryable, exitCode));
    reported = true;
    log.info("{} failed: {} ({}, retryable {})", lease, reason, text, retryable);
  }

  /**
   * The last output line as the completion's object: itself when it is one, else under {@code
   * value}; null when there was none. The values stay JSON trees, so that a null in the child's
   * object is sent as null, not dropped like an unset field.
   */
  private Map<String, Object> completionOutput() {
    JsonNode out = lastOutput;
    if (out == null || out.isNull()) {
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    if (out.isObject()) {
      out.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    } else {
      fields.put("value", out);
    }
    return fields;
  }

  /** The allow-list, then the job's {@code env}, then the lease's {@code JOBPLANE_*} variables. */
  private void environment(Map<String, String> env) {
    env.putAll(settings.childEnvironment().passed());
    if (settings.runAs() != null) {
      env.put("HOME", settings.runAs().home()); // the worker's home is not the child's user's
    }
    Map<String, String> jobEnv = lease.job().getEnv();
    if (jobEnv != null) {
      jobEnv.forEach((k, v) -> env.put(k, String.valueOf(v)));
    }
    env.put("JOBPLANE_JOB_ID", lease.jobId());
    env.put("JOBPLANE_TASK_INDEX", Integer.toString(lease.taskIndex()));
    env.put("JOBPLANE_RUN_ID", Long.toString(lease.runId()));
    env.put("JOBPLANE_ATTEMPT", Integer.toString(lease.attempt()));
    env.put("JOBPLANE_PARALLELISM", Integer.toString(lease.parallelism()));
    env.put("JOBPLANE_INPUT", json(lease.job().getInput()));
    env.put("JOBPLANE_CHECKPOINT", lease.checkpoint() == null ? "" : json(lease.checkpoint()));
  }

  /**
   * Writes what the lease carried back as JSON for the child: every field, null ones too (the SDK's
   * own mapper leaves those out), and times as ISO-8601 text.
   */
  private static final ObjectMapper CHILD_JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  private static String json(Object value) {
    try {
      return CHILD_JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- output streams ----

  private Thread reader(InputStream in, String stream) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  onLine(stream, line);
                }
              } catch (IOException e) {
                log.debug("{}: {} closed: {}", lease, stream, e.getMessage());
              } catch (LeaseLostException e) {
                leaseLost(e);
              } catch (RuntimeException e) {
                log.error("{}: error while reading {}", lease, stream, e);
              }
            },
            "task-" + lease.key() + "-" + stream);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void onLine(String stream, String line) {
    if (lost.get() || reported) {
      return;
    }
    boolean stdout = stream.equals("stdout");
    if (stdout && LineProtocol.isDirective(line)) {
      try {
        apply(LineProtocol.parse(line));
        return;
      } catch (IllegalArgumentException e) {
        log.warn(
            "{}: malformed ##jobplane line ({}), logged as is: {}", lease, e.getMessage(), line);
      }
    }
    if (!stdout) {
      lastStderr = truncate(line, 500);
    }
    LogLineReport l =
        new LogLineReport()
                .timestamp(now())
                .level(
                    stdout
                        ? LogLineReport.LevelEnum.INFO
                        : line.startsWith("ERROR")
                            ? LogLineReport.LevelEnum.ERROR
                            : LogLineReport.LevelEnum.WARN)
                .stream(stdout ? LogLineReport.StreamEnum.STDOUT : LogLineReport.StreamEnum.STDERR)
                .message(truncate(line, MAX_LINE_CHARS));
    boolean full;
    synchronized (pendingLines) {
      pendingLines.add(l);
      full = pendingLines.size() >= BATCH_LINES;
    }
    if (full) {
      flush();
    }
  }

  private void apply(LineProtocol.Directive d) {
    if (d instanceof LineProtocol.Progress p) {
      synchronized (stateLock) {
        progress = p.percent();
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Items i) {
      synchronized (stateLock) {
        if (i.total() != null) {
          itemsTotal = i.total();
        }
        if (i.completed() != null) {
          itemsCompleted = i.completed();
        }
        if (i.failed() != null) {
          itemsFailed = i.failed();
        }
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Metrics m) {
      synchronized (stateLock) {
        metrics.putAll(m.values());
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Message m) {
      synchronized (stateLock) {
        message = truncate(m.text(), 1000);
        dirty = true;
      }
    } else if (d instanceof LineProtocol.Changed c) {
      changed = c.changed();
    } else if (d instanceof LineProtocol.Output o) {
      lastOutput = o.record();
      // the tree itself: any JSON value, written as the child printed it
      OutputReport body =
          new OutputReport()
              .records(List.of(new OutputRecordReport().timestamp(now()).record(o.record())));
      reportQuietly("output", () -> api.output(lease, body));
    } else if (d instanceof LineProtocol.Checkpoint c) {
      CheckpointReport body = checkpointBody(c.fields());
      reportQuietly("checkpoints", () -> api.checkpoint(lease, body));
    }
  }

  private final java.util.concurrent.atomic.AtomicLong checkpointsReported =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * The checkpoint line's fields as the report takes them (the state is checked by {@link
   * LineProtocol}). A field the server could not read (not a whole number, not a time) is left out
   * with a warning rather than failing the whole report.
   */
  private CheckpointReport checkpointBody(Map<String, String> fields) {
    CheckpointReport body = new CheckpointReport().checkpointId(fields.get("id"));
    String state = fields.getOrDefault("state", "completed");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      try {
        switch (k) {
          case "id" -> {}
          case "state" -> body.state(CheckpointReport.StateEnum.fromValue(v));
          case "epoch" -> body.checkpointEpoch(Long.parseLong(v));
          case "size_bytes" -> body.sizeBytes(Long.parseLong(v));
          case "location" -> body.location(v);
          case "backend" -> body.backend(v);
          case "started_at" -> body.startedAt(OffsetDateTime.parse(v));
          case "finished_at" -> body.finishedAt(OffsetDateTime.parse(v));
          default -> log.warn("{}: unknown checkpoint field {} ignored", lease, k);
        }
      } catch (NumberFormatException ex) {
        log.warn("{}: checkpoint field {}={} is not a whole number; ignored", lease, k, v);
      } catch (DateTimeParseException ex) {
        log.warn("{}: checkpoint field {}={} is not an ISO-8601 time; ignored", lease, k, v);
      }
    }
    if (body.getState() == null) {
      body.state(CheckpointReport.StateEnum.COMPLETED);
    }
    if (body.getCheckpointEpoch() == null) {
      // without an explicit epoch, checkpoints of this task are numbered in the order reported
      body.checkpointEpoch(checkpointsReported.incrementAndGet());
    }
    if (body.getFinishedAt() == null && !state.equals("in_progress")) {
      body.finishedAt(now());
    }
    return body;
  }

  /** Now, as the SDK's time fields take it. */
  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  private void reportQuietly(String what, Runnable call) {
    if (lost.get() || reported) {
      return;
    }
    try {
      call.run();
    } catch (ApiException e) {
      log.warn("{}: could not report {}: {}", lease, what, e.getMessage());
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (LeaseLostException e) {
      leaseLost(e);
    } catch (RuntimeException e) {
      log.warn("{}: could not send logs: {}", lease, e.getMessage());
    }
  }

  /** Sends the buffered lines; batches of at most {@value #MAX_LINES_PER_CALL}. */
  private void flush() {
    synchronized (flushLock) {
      List<LogLineReport> batch;
      synchronized (pendingLines) {
        batch = new ArrayList<>(pendingLines);
        pendingLines.clear();
      }
      for (int from = 0; from < batch.size() && !lost.get() && !reported; ) {
        int to = Math.min(batch.size(), from + MAX_LINES_PER_CALL);
        LogsReport body = new LogsReport().lines(new ArrayList<>(batch.subList(from, to)));
        try {
          api.logs(lease, body);
        } catch (ApiException e) {
          log.warn("{}: dropped {} log lines: {}", lease, to - from, e.getMessage());
        }
        from = to;
      }
    }
  }

  // ---- heartbeats and stopping ----

  /**
   * Every {@link WorkerSettings#stopCheckInterval()}: a heartbeat that carries the child's
   * telemetry once every {@link WorkerSettings#heartbeatInterval()} (or when it is the only kind),
   * and nothing but the lease in between. The light ones cost the server no telemetry write (no
   * progress sample, no status log line), yet their answers bring a stop request, a revoked lease
   * (409) or a deleted job (404) to the child within about a second.
   */
  private void heartbeat() {
    if (finishing || lost.get()) {
      return;
    }
    try {
      long now = System.nanoTime();
      LeaseReport report;
      if (now - lastFullHeartbeat >= settings.heartbeatInterval().toNanos()
          || settings.stopCheckInterval().compareTo(settings.heartbeatInterval()) >= 0) {
        lastFullHeartbeat = now;
        report = heartbeatReport();
      } else {
        report = ReportBuffer.heartbeat();
      }
      reports.send(lease, report).ifPresent(this::onStopRequest);
    } catch (LeaseLostException e) {
      if (!finishing) {
        leaseLost(e);
      }
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat failed: {}", lease, e.getMessage());
    }
  }

  /** A heartbeat with the child's telemetry; it counts as sent from here on. */
  LeaseReport heartbeatReport() {
    LeaseReport report = ReportBuffer.heartbeat();
    synchronized (stateLock) {
      dirty = false;
      if (progress != null) {
        // the server counts whole percents: 99.9 is not yet done
        report.progress((int) Math.floor(progress));
      }
      if (itemsTotal != null || itemsCompleted != null || itemsFailed != null) {
        report.items(new Items().total(itemsTotal).completed(itemsCompleted).failed(itemsFailed));
      }
      if (!metrics.isEmpty()) {
        report.metrics(LineProtocol.metricsReport(metrics));
      }
      if (message != null) {
        report.message(truncate(message, 1000));
      }
    }
    return report;
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

  private void terminate(Duration killAfter) {
    killTree(false);
    scheduler.schedule(
        () -> {
          Process p = process;
          if (p != null && p.isAlive()) {
            log.warn("{}: child still alive; SIGKILL", lease);
          }
          killTree(true);
        },
        killAfter.toMillis(),
        TimeUnit.MILLISECONDS);
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

  /** SIGTERM (or SIGKILL when forced) to the child and every process it started. */
  private void killTree(boolean force) {
    Process p = process;
    if (p == null) {
      return;
    }
    // through the ProcessHandle: Process.destroy() would also close the pipes, losing the lines
    // the child still writes while it shuts down
    ProcessHandle handle = p.toHandle();
    handle.descendants().forEach(knownTree::add);
    if (force) {
      handle.destroyForcibly();
      knownTree.forEach(ProcessHandle::destroyForcibly);
    } else {
      handle.destroy();
      knownTree.forEach(ProcessHandle::destroy);
    }
  }

  /**
   * At most {@code max} characters of a child's text, made storable: the server refuses control
   * characters other than tab and line breaks (NUL cannot be stored at all), so terminal colour
   * sequences are dropped and any other control character becomes U+FFFD.
   */
  static String truncate(String s, int max) {
    String text = s.length() <= max ? s : s.substring(0, max) + "…";
    return CONTROL.matcher(ANSI_ESCAPE.matcher(text).replaceAll("")).replaceAll("\uFFFD");
  }

  private static final java.util.regex.Pattern ANSI_ESCAPE =
      java.util.regex.Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]");
  private static final java.util.regex.Pattern CONTROL =
      java.util.regex.Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]");
}
