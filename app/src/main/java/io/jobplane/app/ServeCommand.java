package io.jobplane.app;

import io.jobplane.adapters.rest.ApiSettings.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the Jobplane API server.",
      "Without --database-url it runs an embedded PostgreSQL whose data lives in --data-dir and"
          + " survives restarts. Without --tokens-file it creates an admin token in --data-dir on"
          + " first start and prints where it is."
    })
final class ServeCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin DatabaseOptions database;

  @Mixin KubernetesOptions kubernetes;

  @Option(
      names = "--kubernetes-runtime",
      description =
          "Accept jobs with runtime kubernetes: each becomes a Job resource in the cluster"
              + " (kube config from KUBECONFIG, ~/.kube/config or the pod's service account).")
  boolean kubernetesRuntime;

  @Option(
      names = "--with-operator",
      description =
          "Also run the Kubernetes operator in this process (implies --kubernetes-runtime).")
  boolean withOperator;

  @Option(
      names = "--tokens-file",
      description =
          "JSON file of API tokens (hashes, roles, projects); see README. Omit to use a generated admin token.")
  Path tokensFile;

  @Option(
      names = "--secrets-key-file",
      description =
          "File holding the key that encrypts stored secrets (base64 of 32 bytes). Default: env "
              + SecretsKeys.ENV
              + ", else <data-dir>/"
              + SecretsKeys.FILE_NAME
              + ", generated on first start (mode 0600). Replicas must share one key.")
  Path secretsKeyFile;

  @Option(
      names = "--metrics-public",
      description = "Serve /metrics without a token (default: a valid token is required).")
  boolean metricsPublic;

  @Mixin HttpOptions http;

  @Mixin WebhookOptions webhooks;

  @Option(
      names = "--rate-limit-per-second",
      defaultValue = "0",
      description =
          "Requests a second each token may make to this server; more get 429 with Retry-After"
              + " (default: ${DEFAULT-VALUE}, no limit). Counted per server process.")
  int rateLimitPerSecond;

  @Option(
      names = "--rate-limit-burst",
      description =
          "Requests a token may make at once before --rate-limit-per-second applies (default:"
              + " twice the rate).")
  Integer rateLimitBurst;

  @Option(
      names = "--sweep-interval-ms",
      defaultValue = "1000",
      description =
          "How often expired leases, job timeouts and overdue stops are swept, and due"
              + " schedules ticked (default: ${DEFAULT-VALUE}; schedules fire up to this late).")
  long sweepIntervalMs;

  @Option(
      names = "--worker-expiry-seconds",
      defaultValue = "600",
      description =
          "A worker that has not claimed for this long is forgotten: GET /api/v1/workers stopped"
              + " listing it after 30 s, its row is deleted now (default: ${DEFAULT-VALUE};"
              + " at least 30).")
  long workerExpirySeconds;

  @Mixin LogFormatOption logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      description =
          "Log level: error, warn, info, debug (debug logs one line per request; default: ${DEFAULT-VALUE}).")
  String logLevel;

  private RateLimit rateLimit() {
    if (rateLimitPerSecond < 0 || rateLimitPerSecond > 1_000_000) {
      throw new IllegalArgumentException("--rate-limit-per-second must be between 0 and 1000000");
    }
    if (rateLimitPerSecond == 0) {
      if (rateLimitBurst != null) {
        throw new IllegalArgumentException("--rate-limit-burst needs --rate-limit-per-second");
      }
      return RateLimit.OFF;
    }
    int burst =
        rateLimitBurst == null ? Math.min(2 * rateLimitPerSecond, 10_000_000) : rateLimitBurst;
    if (burst < 1 || burst > 10_000_000) {
      throw new IllegalArgumentException("--rate-limit-burst must be between 1 and 10000000");
    }
    return new RateLimit(rateLimitPerSecond, burst);
  }

  @Override
  public Integer call() throws Exception {
    logFormat.apply(logLevel);
    Ports.requireValid(port);
    database.validate();
    if (sweepIntervalMs < 10 || sweepIntervalMs > 3_600_000) {
      throw new IllegalArgumentException("--sweep-interval-ms must be between 10 and 3600000");
    }
    if (workerExpirySeconds < 30 || workerExpirySeconds > 31L * 24 * 3600) {
      throw new IllegalArgumentException("--worker-expiry-seconds must be between 30 and 2678400");
    }
    CliFiles.requireReadable(tokensFile, "--tokens-file");
    // before the embedded database starts: it takes seconds to start, and as long to stop again
    Ports.requireFree(host, port);
    ServerSettings settings =
        database
            .applyTo(ServerSettings.builder().host(host).port(port))
            .tokensFile(tokensFile)
            .metricsPublic(metricsPublic)
            .http(http.settings())
            .sweepInterval(Duration.ofMillis(sweepIntervalMs))
            .kubernetes(
                kubernetesRuntime || withOperator
                    ? kubernetes.settings(true, withOperator)
                    : KubernetesSettings.OFF)
            .secretsKeyFile(secretsKeyFile)
            .webhooks(webhooks.settings())
            .rateLimit(rateLimit())
            .workerExpiry(Duration.ofSeconds(workerExpirySeconds))
            .build();
    return JobplaneServer.start(settings).runUntilStopped();
  }
}
