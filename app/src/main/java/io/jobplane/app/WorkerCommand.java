package io.jobplane.app;

import io.jobplane.app.worker.ChildEnvironment;
import io.jobplane.app.worker.RunAs;
import io.jobplane.app.worker.Worker;
import io.jobplane.app.worker.WorkerSettings;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Labels;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs jobs for a Jobplane server: claims tasks over the worker protocol, runs each job's"
          + " command as a child process and reports logs, progress and the result.",
      "The child can report through ##jobplane lines on its stdout (see docs/worker-protocol.md).",
      "On SIGTERM it stops claiming, lets running tasks finish for --shutdown-grace-seconds, then"
          + " terminates the rest and fails them as retryable (WORKER_SHUTDOWN)."
    })
final class WorkerCommand implements Callable<Integer> {

  @Option(
      names = "--server",
      required = true,
      description = "Base URL of the Jobplane server, e.g.%nhttp://localhost:8080")
  URI server;

  @Option(
      names = "--token-file",
      description =
          "File holding a token of role worker, best one limited to the projects this worker"
              + " serves (create-token --role worker --project P). Without it the token is read"
              + " from the environment variable JOBPLANE_TOKEN. Never handed to a job.")
  Path tokenFile;

  @Option(
      names = "--pass-env",
      split = ",",
      paramLabel = "NAME",
      description =
          "Also pass this variable of the worker's environment to job processes; repeatable or a"
              + " comma list. Extends the default allow-list PATH, HOME, LANG, TZ: a job gets"
              + " nothing else of the worker's environment, only its own env and the JOBPLANE_*"
              + " variables. JOBPLANE_TOKEN is refused.")
  List<String> passEnv;

  @Option(
      names = "--run-as",
      paramLabel = "USER",
      description =
          "Run job processes as this OS user (HOME set to its home), so that they cannot read the"
              + " worker's token file or environment. The worker must run as root, with setpriv"
              + " (util-linux) on its PATH; checked at start. Default: the worker's own user.")
  String runAs;

  @Option(
      names = "--queue",
      split = ",",
      defaultValue = "default",
      description = "Queue(s) to claim from; repeatable (default: ${DEFAULT-VALUE}).")
  List<String> queues;

  @Option(
      names = "--type",
      split = ",",
      description = "Only claim jobs of these types; repeatable (default: any type).")
  List<String> types;

  @Option(
      names = "--concurrency",
      defaultValue = "1",
      description = "Most tasks run at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--lease-seconds",
      defaultValue = "30",
      description =
          "Lease duration asked for; heartbeats go every third of it (default: ${DEFAULT-VALUE}).")
  int leaseSeconds;

  @Option(
      names = {"--name", "--worker-id"},
      description =
          "The worker's name, its worker_id in claims, keyed by in GET /api/v1/workers and in a"
              + " broadcast job's agents (default: <hostname>-<random>).")
  String workerId;

  @Option(
      names = "--label",
      paramLabel = "KEY=VALUE",
      description =
          "A label of this worker (repeatable, e.g. --label zone=eu --label gpu=a100): jobs with"
              + " a worker_selector run only on workers whose labels match it.")
  Map<String, String> labels;

  @Option(
      names = "--wait-seconds",
      defaultValue = "30",
      description =
          "How long a claim waits at the server for work when there is nothing to do"
              + " (long-polling: a new job starts at once, and an idle worker sends one claim per"
              + " wait); 0 polls every --poll-interval-ms instead (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Option(
      names = "--poll-interval-ms",
      defaultValue = "1000",
      description =
          "Wait between claims when there is nothing to do and --wait-seconds is 0, or the"
              + " server answered an empty claim at once (default: ${DEFAULT-VALUE}).")
  long pollIntervalMs;

  @Option(
      names = "--shutdown-grace-seconds",
      defaultValue = "30",
      description =
          "On SIGTERM, how long running tasks may take to finish (default: ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = "--report-interval-ms",
      defaultValue = "100",
      description =
          "Heartbeats, completions and failures of all tasks are sent together every this many"
              + " ms (POST /api/v1/leases/reports); 0 sends each at once (default:"
              + " ${DEFAULT-VALUE}).")
  long reportIntervalMs;

  @Mixin LogOptions logging;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    if (pollIntervalMs < 10 || pollIntervalMs > 60_000) {
      throw new IllegalArgumentException("--poll-interval-ms must be between 10 and 60000");
    }
    if (reportIntervalMs < 0 || reportIntervalMs > WorkerSettings.MAX_REPORT_INTERVAL.toMillis()) {
      throw new IllegalArgumentException(
          "--report-interval-ms must be between 0 and "
              + WorkerSettings.MAX_REPORT_INTERVAL.toMillis());
    }
    if (waitSeconds < 0 || waitSeconds > 30) {
      throw new IllegalArgumentException("--wait-seconds must be between 0 and 30");
    }
    if (shutdownGraceSeconds < 0) {
      throw new IllegalArgumentException("--shutdown-grace-seconds must not be negative");
    }
    String token = token(tokenFile, System.getenv());
    ChildEnvironment children =
        ChildEnvironment.of(System.getenv(), passEnv == null ? List.of() : passEnv);
    String hostname = Worker.localHostname();
    WorkerSettings settings =
        WorkerSettings.of(
                server,
                token,
                queues,
                types == null ? List.of() : types,
                concurrency,
                leaseSeconds,
                workerId == null ? Worker.defaultWorkerId(hostname) : workerId,
                hostname,
                Duration.ofMillis(pollIntervalMs),
                Duration.ofSeconds(shutdownGraceSeconds))
            .withReportInterval(Duration.ofMillis(reportIntervalMs))
            .withClaimWait(Duration.ofSeconds(waitSeconds))
            .withChildEnvironment(children)
            .withRunAs(runAs == null ? null : RunAs.resolve(runAs))
            .withLabels(labels(labels));
    Worker worker = new Worker(settings).start();
    Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
    return worker.awaitTermination() ? 0 : 1;
  }

  /** The labels of {@code --label}, checked as the server checks them (Kubernetes syntax). */
  static Map<String, String> labels(Map<String, String> given) {
    if (given == null) {
      return Map.of();
    }
    try {
      return new Labels(given).values();
    } catch (DomainException e) {
      throw new IllegalArgumentException(
          "--label: " + (e.errors().isEmpty() ? e.getMessage() : e.errors().get(0).message()));
    }
  }

  /**
   * The worker's token: from {@code --token-file} when given, else from {@value
   * ChildEnvironment#TOKEN_VARIABLE}. There is no {@code --token} option on purpose: a command line
   * is readable by every local user ({@code ps}).
   *
   * @throws IllegalArgumentException when neither gives a token, or the one named is empty
   */
  static String token(Path tokenFile, Map<String, String> environment) throws IOException {
    if (tokenFile != null) {
      return CliFiles.readToken(tokenFile, "--token-file");
    }
    String fromEnv = environment.get(ChildEnvironment.TOKEN_VARIABLE);
    if (fromEnv == null || fromEnv.isBlank()) {
      throw new IllegalArgumentException(
          "no worker token: give --token-file FILE or set "
              + ChildEnvironment.TOKEN_VARIABLE
              + " (a token of role worker, e.g. from create-token --role worker --project P)");
    }
    return fromEnv.strip();
  }
}
