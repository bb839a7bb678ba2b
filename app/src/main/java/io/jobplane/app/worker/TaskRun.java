package io.jobplane.app.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
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

  private final List<ObjectNode> pendingLines = new ArrayList<>();
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
    JsonNode command = lease.job().get("command");
    if (command == null || !command.isArray() || command.isEmpty()) {
      log.warn("{} has no command; failing it with NO_COMMAND", lease);
      finishing = true;
      fail("NO_COMMAND", "the job has no command for a worker to run", false, null);
      return;
    }
    List<String> argv = new ArrayList<>();
    command.forEach(a -> argv.add(a.isTextual() ? a.asText() : a.toString()));
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
      reports.send(lease, "heartbeat", heartbeatBody());
    }
    String stop = stopMode.get();
    if (stop != null) {
      reports.send(lease, "stopped", WorkerApi.JSON.createObjectNode());
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
      ObjectNode body = WorkerApi.JSON.createObjectNode();
      body.set("output", completionOutput());
      Boolean c = changed;
      if (c != null) {
        body.put("changed", c);
      }
      reports.send(lease, "complete", body);
      log.info("{} succeeded", lease);
    } else {
      String last = lastStderr;
      fail(
          "EXIT_CODE", "exit code " + exitCode + (last == null ? "" : ": " + last), true, exitCode);
    }
    reported = true;
  }

  private void fail(String reason, String text, boolean retryable, Integer exitCode) {
    ObjectNode body = WorkerApi.JSON.createObjectNode();
    body.put("reason", reason);
    body.put("message", truncate(text, 1000));
    body.put("retryable", retryable);
    if (exitCode != null) {
      body.put("exit_code", exitCode);
    }
    reports.send(lease, "fail", body);
    reported = true;
    log.info("{} failed: {} ({}, retryable {})", lease, reason, text, retryable);
  }

  private JsonNode completionOutput() {
    JsonNode out = lastOutput;
    if (out == null || out.isNull()) {
      return NullNode.getInstance();
    }
    if (out.isObject()) {
      return out;
    }
    ObjectNode wrapped = WorkerApi.JSON.createObjectNode();
    wrapped.set("value", out);
    return wrapped;
  }

  /** The allow-list, then the job's {@code env}, then the lease's {@code JOBPLANE_*} variables. */
  private void environment(Map<String, String> env) {
    env.putAll(settings.childEnvironment().passed());
    if (settings.runAs() != null) {
      env.put("HOME", settings.runAs().home()); // the worker's home is not the child's user's
    }
    JsonNode jobEnv = lease.job().get("env");
    if (jobEnv != null && jobEnv.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = jobEnv.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        env.put(e.getKey(), v.isTextual() ? v.asText() : v.toString());
      }
    }
    env.put("JOBPLANE_JOB_ID", lease.jobId());
    env.put("JOBPLANE_TASK_INDEX", Integer.toString(lease.taskIndex()));
    env.put("JOBPLANE_RUN_ID", Long.toString(lease.runId()));
    env.put("JOBPLANE_ATTEMPT", Integer.toString(lease.attempt()));
    env.put("JOBPLANE_PARALLELISM", Integer.toString(lease.parallelism()));
    env.put("JOBPLANE_INPUT", json(lease.job().get("input")));
    JsonNode checkpoint = lease.checkpoint();
    env.put(
        "JOBPLANE_CHECKPOINT",
        checkpoint == null || checkpoint.isNull() || checkpoint.isMissingNode()
            ? ""
            : json(checkpoint));
  }

  private static String json(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "null";
    }
    try {
      return WorkerApi.JSON.writeValueAsString(node);
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
    String level = stdout ? "info" : line.startsWith("ERROR") ? "error" : "warn";
    ObjectNode l = WorkerApi.JSON.createObjectNode();
    l.put("timestamp", Instant.now().toString());
    l.put("level", level);
    l.put("stream", stream);
    l.put("message", truncate(line, MAX_LINE_CHARS));
    l.putNull("operator_id");
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
      ObjectNode body = WorkerApi.JSON.createObjectNode();
      ObjectNode record = body.putArray("records").addObject();
      record.put("timestamp", Instant.now().toString());
      record.putNull("operator_id");
      record.set("record", o.record());
      reportQuietly("output", body);
    } else if (d instanceof LineProtocol.Checkpoint c) {
      reportQuietly("checkpoints", checkpointBody(c.fields()));
    }
  }

  private final java.util.concurrent.atomic.AtomicLong checkpointsReported =
      new java.util.concurrent.atomic.AtomicLong();

  private ObjectNode checkpointBody(Map<String, String> fields) {
    ObjectNode body = WorkerApi.JSON.createObjectNode();
    String state = fields.getOrDefault("state", "completed");
    body.put("checkpoint_id", fields.get("id"));
    body.put("state", state);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String k = e.getKey();
      String v = e.getValue();
      try {
        switch (k) {
          case "id", "state" -> {}
          case "epoch" -> body.put("checkpoint_epoch", Long.parseLong(v));
          case "size_bytes" -> body.put("size_bytes", Long.parseLong(v));
          case "location", "backend", "started_at", "finished_at" -> body.put(k, v);
          default -> log.warn("{}: unknown checkpoint field {} ignored", lease, k);
        }
      } catch (NumberFormatException ex) {
        log.warn("{}: checkpoint field {}={} is not a whole number; ignored", lease, k, v);
      }
    }
    if (!body.has("checkpoint_epoch")) {
      // without an explicit epoch, checkpoints of this task are numbered in the order reported
      body.put("checkpoint_epoch", checkpointsReported.incrementAndGet());
    }
    if (!body.has("finished_at") && !state.equals("in_progress")) {
      body.put("finished_at", Instant.now().toString());
    }
    return body;
  }

  private void reportQuietly(String what, ObjectNode body) {
    if (lost.get() || reported) {
      return;
    }
    try {
      api.report(lease, what, body);
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
      List<ObjectNode> batch;
      synchronized (pendingLines) {
        batch = new ArrayList<>(pendingLines);
        pendingLines.clear();
      }
      for (int from = 0; from < batch.size() && !lost.get() && !reported; ) {
        int to = Math.min(batch.size(), from + MAX_LINES_PER_CALL);
        ObjectNode body = WorkerApi.JSON.createObjectNode();
        ArrayNode lines = body.putArray("lines");
        lines.addAll(batch.subList(from, to));
        try {
          api.report(lease, "logs", body);
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
      ObjectNode body;
      if (now - lastFullHeartbeat >= settings.heartbeatInterval().toNanos()
          || settings.stopCheckInterval().compareTo(settings.heartbeatInterval()) >= 0) {
        lastFullHeartbeat = now;
        body = heartbeatBody();
      } else {
        body = WorkerApi.JSON.createObjectNode();
      }
      JsonNode answer = reports.send(lease, "heartbeat", body);
      JsonNode stop = answer.get("stop");
      if (stop != null && stop.isObject()) {
        onStopRequest(stop.path("mode").asText("graceful"), stop.path("deadline").asText(null));
      }
    } catch (LeaseLostException e) {
      if (!finishing) {
        leaseLost(e);
      }
    } catch (RuntimeException e) {
      log.warn("{}: heartbeat failed: {}", lease, e.getMessage());
    }
  }

  ObjectNode heartbeatBody() {
    ObjectNode body = WorkerApi.JSON.createObjectNode();
    synchronized (stateLock) {
      dirty = false;
      if (progress != null) {
        if (progress == Math.rint(progress)) {
          body.put("progress", progress.longValue());
        } else {
          body.put("progress", progress);
        }
      }
      if (itemsTotal != null || itemsCompleted != null || itemsFailed != null) {
        ObjectNode items = body.putObject("items");
        if (itemsTotal != null) {
          items.put("total", itemsTotal);
        }
        if (itemsCompleted != null) {
          items.put("completed", itemsCompleted);
        }
        if (itemsFailed != null) {
          items.put("failed", itemsFailed);
        }
      }
      if (!metrics.isEmpty()) {
        ObjectNode m = body.putObject("metrics");
        metrics.forEach(
            (k, v) -> {
              if (v instanceof Long l) {
                m.put(k, l);
              } else {
                m.put(k, v.doubleValue());
              }
            });
      }
      if (message != null) {
        body.put("message", truncate(message, 1000));
      }
    }
    return body;
  }

  private void onStopRequest(String mode, String deadline) {
    if (!stopMode.compareAndSet(null, mode)) {
      return;
    }
    Duration wait = settings.killGrace();
    if (mode.equals("graceful") && deadline != null) {
      try {
        wait = Duration.between(Instant.now(), Instant.parse(deadline));
        if (wait.isNegative()) {
          wait = Duration.ZERO;
        }
      } catch (DateTimeParseException e) {
        log.warn("{}: unreadable stop deadline {}", lease, deadline);
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
    JsonNode t = lease.job().get("timeout_seconds");
    return t != null && t.canConvertToInt() && t.asInt() > 0 ? t.asInt() : null;
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
