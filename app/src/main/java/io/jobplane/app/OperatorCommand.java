package io.jobplane.app;

import io.jobplane.app.http.HttpSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Kubernetes operator: Job resources (jobs.jobplane.io) run as batch/v1 Jobs and"
          + " are mirrored into the store the API reads.",
      "Finds the cluster through KUBECONFIG, ~/.kube/config or the pod's service account. Serves"
          + " /healthz, /readyz and /metrics on --port. Point --database-url at the API server's"
          + " PostgreSQL; the embedded default suits a local try-out only."
    })
final class OperatorCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = "0.0.0.0",
      description = "Address of the probe and metrics endpoints (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "8081",
      description = "Port of the probe and metrics endpoints (default: ${DEFAULT-VALUE}).")
  int port;

  @Mixin DatabaseOptions database;

  @Mixin KubernetesOptions kubernetes;

  @Mixin LogOptions logging;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    Ports.requireValid(port);
    database.validate();
    Ports.requireFree(host, port); // before the embedded database starts
    ServerSettings settings =
        // the operator alone: /healthz, /readyz and /metrics (public), no REST API
        database
            .applyTo(ServerSettings.builder().host(host).port(port))
            .metricsPublic(true)
            .http(HttpSettings.DEFAULTS.withShutdownGrace(Duration.ofSeconds(5)))
            .kubernetes(kubernetes.settings(false, true))
            .restApi(false)
            .build();
    return JobplaneServer.start(settings).runUntilStopped();
  }
}
