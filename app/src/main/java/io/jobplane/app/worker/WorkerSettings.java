package io.jobplane.app.worker;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a worker needs, already validated by the command line.
 *
 * @param server base URL of the Jobplane server, e.g. {@code http://localhost:8080}
 * @param token bearer token of role {@code worker} (or {@code admin})
 * @param heartbeatInterval how often a running task heartbeats (normally a third of the lease)
 * @param killGrace how long a child gets between SIGTERM and SIGKILL on an immediate/force stop
 * @param retryBaseDelay first delay of the exponential backoff on transport errors and 5xx
 * @param retryMaxDelay cap of that backoff
 * @param retryMaxDuration how long one call keeps retrying before it gives up
 * @param reportInterval how long heartbeats, completions, failures and stop acknowledgements wait
 *     to be sent together with {@code POST /api/v1/leases/reports}; zero sends each at once with
 *     its single-lease call
 * @param claimWait how long a claim asks the server to wait for work ({@code wait_seconds},
 *     long-polling); zero polls every {@code pollInterval} instead
 * @param childEnvironment what a job's process gets from the worker's environment (the allow-list)
 * @param stopCheckInterval how often a running task sends a heartbeat without telemetry, so that a
 *     stop, a timeout or a lost lease reaches its child within about this long rather than a third
 *     of the lease; the full heartbeat (progress, items, metrics, message) still goes every {@code
 *     heartbeatInterval}. A worker with no running task sends none.
 * @param runAs the OS user job processes run as ({@code --run-as}); null: the worker's own
 * @param labels the worker's labels ({@code --label}), sent with every claim: jobs with a {@code
 *     worker_selector} go only to workers whose labels match it
 */
public record WorkerSettings(
    URI server,
    String token,
    List<String> queues,
    List<String> types,
    int concurrency,
    int leaseSeconds,
    String workerId,
    String hostname,
    Duration pollInterval,
    Duration heartbeatInterval,
    Duration shutdownGrace,
    Duration killGrace,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    Duration retryMaxDuration,
    Duration reportInterval,
    Duration claimWait,
    ChildEnvironment childEnvironment,
    Duration stopCheckInterval,
    RunAs runAs,
    Map<String, String> labels) {

  /** Most a stop request or a lost lease waits to be noticed by a running task. */
  public static final Duration STOP_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** Most a report may wait for the next batch ({@code --report-interval-ms}). */
  public static final Duration MAX_REPORT_INTERVAL = Duration.ofSeconds(1);

  /** The default of {@code --report-interval-ms}. */
  public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofMillis(100);

  /** Long-polling by default: an idle worker's claim waits this long for work. */
  public static final Duration DEFAULT_CLAIM_WAIT = Duration.ofSeconds(30);

  /**
   * Settings that report lease by lease, at once (no report buffer), long-poll for {@link
   * #DEFAULT_CLAIM_WAIT}, pass the default allow-list of this process's environment to children,
   * and check for stops every {@link #STOP_CHECK_INTERVAL} or {@code heartbeatInterval}, whichever
   * is shorter.
   */
  public WorkerSettings(
      URI server,
      String token,
      List<String> queues,
      List<String> types,
      int concurrency,
      int leaseSeconds,
      String workerId,
      String hostname,
      Duration pollInterval,
      Duration heartbeatInterval,
      Duration shutdownGrace,
      Duration killGrace,
      Duration retryBaseDelay,
      Duration retryMaxDelay,
      Duration retryMaxDuration) {
    this(
        server,
        token,
        queues,
        types,
        concurrency,
        leaseSeconds,
        workerId,
        hostname,
        pollInterval,
        heartbeatInterval,
        shutdownGrace,
        killGrace,
        retryBaseDelay,
        retryMaxDelay,
        retryMaxDuration,
        Duration.ZERO,
        DEFAULT_CLAIM_WAIT,
        ChildEnvironment.ofWorker(),
        min(heartbeatInterval, STOP_CHECK_INTERVAL),
        null,
        Map.of());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  public WorkerSettings {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(token, "token");
    queues = List.copyOf(queues);
    types = List.copyOf(types);
    if (concurrency < 1 || concurrency > 100) {
      throw new IllegalArgumentException("--concurrency must be between 1 and 100");
    }
    if (leaseSeconds < 5 || leaseSeconds > 600) {
      throw new IllegalArgumentException("--lease-seconds must be between 5 and 600");
    }
    if (workerId == null || workerId.isBlank() || workerId.length() > 128) {
      throw new IllegalArgumentException("--worker-id must have 1 to 128 characters");
    }
    Objects.requireNonNull(reportInterval, "reportInterval");
    if (reportInterval.isNegative() || reportInterval.compareTo(MAX_REPORT_INTERVAL) > 0) {
      throw new IllegalArgumentException(
          "--report-interval-ms must be between 0 and " + MAX_REPORT_INTERVAL.toMillis());
    }
    Objects.requireNonNull(claimWait, "claimWait");
    if (claimWait.isNegative() || claimWait.compareTo(Duration.ofSeconds(30)) > 0) {
      throw new IllegalArgumentException("--wait-seconds must be between 0 and 30");
    }
    Objects.requireNonNull(childEnvironment, "childEnvironment");
    Objects.requireNonNull(stopCheckInterval, "stopCheckInterval");
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }

  /** These settings with reports batched every {@code interval} (zero: sent at once). */
  public WorkerSettings withReportInterval(Duration interval) {
    return with(interval, claimWait, childEnvironment, runAs);
  }

  /** The same settings, long-polling for {@code wait} (zero: polling). */
  public WorkerSettings withClaimWait(Duration wait) {
    return with(reportInterval, wait, childEnvironment, runAs);
  }

  /** The same settings, children getting {@code environment} from the worker's environment. */
  public WorkerSettings withChildEnvironment(ChildEnvironment environment) {
    return with(reportInterval, claimWait, environment, runAs);
  }

  /** The same settings, children running as {@code user} (null: as the worker). */
  public WorkerSettings withRunAs(RunAs user) {
    return with(reportInterval, claimWait, childEnvironment, user);
  }

  /** The same settings, claiming with {@code newLabels}. */
  public WorkerSettings withLabels(Map<String, String> newLabels) {
    return with(reportInterval, claimWait, childEnvironment, runAs, newLabels);
  }

  private WorkerSettings with(
      Duration reportInterval, Duration claimWait, ChildEnvironment childEnvironment, RunAs runAs) {
    return with(reportInterval, claimWait, childEnvironment, runAs, labels);
  }

  private WorkerSettings with(
      Duration reportInterval,
      Duration claimWait,
      ChildEnvironment childEnvironment,
      RunAs runAs,
      Map<String, String> labels) {
    return new WorkerSettings(
        server,
        token,
        queues,
        types,
        concurrency,
        leaseSeconds,
        workerId,
        hostname,
        pollInterval,
        heartbeatInterval,
        shutdownGrace,
        killGrace,
        retryBaseDelay,
        retryMaxDelay,
        retryMaxDuration,
        reportInterval,
        claimWait,
        childEnvironment,
        stopCheckInterval,
        runAs,
        labels);
  }

  /** Everything but the token, which must never reach a log. */
  @Override
  public String toString() {
    return "WorkerSettings[server="
        + server
        + ", workerId="
        + workerId
        + ", queues="
        + queues
        + ", types="
        + types
        + ", labels="
        + labels
        + ", concurrency="
        + concurrency
        + ", leaseSeconds="
        + leaseSeconds
        + ", passed to children="
        + childEnvironment.passed().keySet()
        + (runAs == null ? "" : ", run as=" + runAs.user())
        + "]";
  }

  /** Production defaults for the timings the command line does not expose. */
  public static WorkerSettings of(
      URI server,
      String token,
      List<String> queues,
      List<String> types,
      int concurrency,
      int leaseSeconds,
      String workerId,
      String hostname,
      Duration pollInterval,
      Duration shutdownGrace) {
    Duration heartbeatInterval = Duration.ofMillis(leaseSeconds * 1000L / 3);
    return new WorkerSettings(
        server,
        token,
        queues,
        types,
        concurrency,
        leaseSeconds,
        workerId,
        hostname,
        pollInterval,
        heartbeatInterval,
        shutdownGrace,
        Duration.ofSeconds(5),
        Duration.ofMillis(250),
        Duration.ofSeconds(15),
        Duration.ofSeconds(Math.max(60, leaseSeconds * 2L)),
        DEFAULT_REPORT_INTERVAL,
        DEFAULT_CLAIM_WAIT,
        ChildEnvironment.ofWorker(),
        min(heartbeatInterval, STOP_CHECK_INTERVAL),
        null,
        Map.of());
  }
}
