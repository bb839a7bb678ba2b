package io.jobplane.app.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child process of a task: started from an empty environment plus the worker's allow-list
 * ({@link ChildEnvironment}), the job's {@code env} and the {@code JOBPLANE_*} variables of the
 * lease, as the {@code --run-as} user when one is set; its stdout and stderr read line by line on
 * two threads of their own; and signalled together with every process it started.
 */
final class ChildProcess {

  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

  /** How long the readers may still deliver lines once the child has exited. */
  private static final long READER_DRAIN_MS = 2_000;

  /**
   * Writes what the lease carried back as JSON for the child: every field, null ones too (the SDK's
   * own mapper leaves those out), and times as ISO-8601 text.
   */
  private static final ObjectMapper CHILD_JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .build();

  /** Receives each line the child prints on {@code stream} ({@code stdout} or {@code stderr}). */
  @FunctionalInterface
  interface Lines {
    void line(String stream, String line);
  }

  private final Lease lease;
  private final Process process;
  // every descendant seen so far: a grandchild whose parent died is still signalled
  private final Set<ProcessHandle> knownTree = ConcurrentHashMap.newKeySet();
  private Thread out;
  private Thread err;

  private ChildProcess(Lease lease, Process process) {
    this.lease = lease;
    this.process = process;
  }

  /** The child's command ({@code argv}, wrapped for {@code --run-as}) and its whole environment. */
  static ProcessBuilder command(Lease lease, List<String> argv, WorkerSettings settings) {
    RunAs runAs = settings.runAs();
    ProcessBuilder builder = new ProcessBuilder(runAs == null ? argv : runAs.wrap(argv));
    Map<String, String> env = builder.environment();
    env.clear(); // nothing of the worker's environment but the allow-list
    environment(lease, settings, env);
    return builder;
  }

  /**
   * Starts the {@link #command} of {@code argv} for the lease, its stdin closed.
   *
   * @throws IOException or a RuntimeException when the process cannot start
   */
  static ChildProcess start(Lease lease, List<String> argv, ProcessBuilder command)
      throws IOException {
    Process process = command.start();
    log.info("Started {} as pid {}: {}", lease, process.pid(), argv);
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      log.debug("Could not close the child's stdin", e);
    }
    return new ChildProcess(lease, process);
  }

  /** The allow-list, then the job's {@code env}, then the lease's {@code JOBPLANE_*} variables. */
  private static void environment(Lease lease, WorkerSettings settings, Map<String, String> env) {
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

  private static String json(Object value) {
    try {
      return CHILD_JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads stdout and stderr on two daemon threads into {@code lines}; a lost lease that a line
   * brings up (a log call refused) goes to {@code onLeaseLost} and ends that reader.
   */
  void readOutput(Lines lines, Consumer<LeaseLostException> onLeaseLost) {
    out = reader(process.getInputStream(), "stdout", lines, onLeaseLost);
    err = reader(process.getErrorStream(), "stderr", lines, onLeaseLost);
  }

  private Thread reader(
      InputStream in, String stream, Lines lines, Consumer<LeaseLostException> onLeaseLost) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.line(stream, line);
                }
              } catch (IOException e) {
                log.debug("{}: {} closed: {}", lease, stream, e.getMessage());
              } catch (LeaseLostException e) {
                onLeaseLost.accept(e);
              } catch (RuntimeException e) {
                log.error("{}: error while reading {}", lease, stream, e);
              }
            },
            "task-" + lease.key() + "-" + stream);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for the child to exit, then up to {@value #READER_DRAIN_MS} ms for the readers to deliver
   * what it printed; answers its exit code.
   */
  int waitFor() throws InterruptedException {
    int exitCode = process.waitFor();
    out.join(READER_DRAIN_MS);
    err.join(READER_DRAIN_MS);
    if (out.isAlive() || err.isAlive()) {
      log.warn(
          "{}: the child exited but something it started still holds its output open;"
              + " later lines are dropped",
          lease);
    }
    return exitCode;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM (or SIGKILL when forced) to the child and every process it started. */
  void signalTree(boolean force) {
    // through the ProcessHandle: Process.destroy() would also close the pipes, losing the lines
    // the child still writes while it shuts down
    ProcessHandle handle = process.toHandle();
    handle.descendants().forEach(knownTree::add);
    if (force) {
      handle.destroyForcibly();
      knownTree.forEach(ProcessHandle::destroyForcibly);
    } else {
      handle.destroy();
      knownTree.forEach(ProcessHandle::destroy);
    }
  }
}
