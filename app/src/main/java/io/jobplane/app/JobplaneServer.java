package io.jobplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jobplane.adapters.k8s.operator.JobplaneOperator;
import io.jobplane.adapters.k8s.operator.KubernetesWorkloadRuntime;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.app.http.HttpContainer;
import io.jobplane.app.http.JettyHttpServer;
import io.jobplane.application.service.WorkloadOutbox;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the store, the use cases and the HTTP API, and takes them down in
 * reverse order. Nothing else in the code base knows how the pieces fit together; the wiring of the
 * operator ({@link OperatorWiring}) and of the REST API ({@link RestApiWiring}) lives next to it.
 */
public final class JobplaneServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobplaneServer.class);

  private final ServerSettings settings;
  private final Supplier<KubernetesClient> kubernetesClients;
  private KubernetesClient kubernetes;
  private JobplaneOperator operator;
  private ServerDatabase database;
  private final HttpContainer.Factory containers;
  private HttpContainer http;
  private RestApiWiring restApi;
  private final AtomicBoolean draining = new AtomicBoolean();
  private BackgroundWork background;
  private ProcessMetrics metrics;
  private boolean closed;

  private JobplaneServer(
      ServerSettings settings,
      Supplier<KubernetesClient> kubernetesClients,
      HttpContainer.Factory containers) {
    this.settings = settings;
    this.kubernetesClients = kubernetesClients;
    this.containers = containers;
  }

  /** Kubernetes settings find the cluster the usual way (KUBECONFIG, ~/.kube, in-cluster). */
  public static JobplaneServer start(ServerSettings settings) throws Exception {
    return start(settings, () -> new KubernetesClientBuilder().build());
  }

  public static JobplaneServer start(
      ServerSettings settings, Supplier<KubernetesClient> kubernetesClients) throws Exception {
    return start(settings, kubernetesClients, JettyHttpServer::start);
  }

  /** With another HTTP container (the benchmarks compare them). */
  public static JobplaneServer start(
      ServerSettings settings,
      Supplier<KubernetesClient> kubernetesClients,
      HttpContainer.Factory containers)
      throws Exception {
    JobplaneServer server = new JobplaneServer(settings, kubernetesClients, containers);
    try {
      server.startComponents();
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  private void startComponents() throws Exception {
    long started = System.nanoTime();
    if (settings.databaseUrl() == null || (settings.restApi() && settings.tokensFile() == null)) {
      // only the embedded database and the generated admin token live there: a process with an
      // external database and a tokens file (or none: the operator) runs on a read-only disk
      // (the API server's generated secrets key too, unless JOBPLANE_SECRETS_KEY or
      // --secrets-key-file names one: SecretsKeys creates its own directory)
      Files.createDirectories(settings.dataDir());
    }
    metrics = new ProcessMetrics();
    PrometheusMeterRegistry registry = metrics.registry();
    database = new ServerDatabase(settings);
    PostgresStore store = database.open(registry);
    Clock clock = Clock.systemUTC();
    background = new BackgroundWork(settings, store, clock, registry);
    KubernetesSettings k8s = settings.kubernetes();
    WorkloadOutbox workloads = WorkloadOutbox.disabled();
    if (k8s.any()) {
      kubernetes = kubernetesClients.get();
      log.info("Using Kubernetes API server {}", kubernetes.getMasterUrl());
      if (k8s.runtime()) {
        workloads =
            background.startWorkloadRelay(
                new KubernetesWorkloadRuntime(kubernetes, k8s.operatorSettings().policy()));
      }
    }
    if (k8s.operator()) {
      operator = OperatorWiring.start(kubernetes, store, k8s, clock, registry);
    }
    if (!settings.restApi()) {
      startHttp(
          new OperatorEndpoints(
                  store.health(), () -> operator != null && operator.isReady(), registry)
              .application(),
          started);
      return;
    }
    restApi = new RestApiWiring(settings, store, clock, registry);
    startHttp(restApi.start(workloads, background, draining::get), started);
  }

  private void startHttp(ResourceConfig application, long started) throws Exception {
    http = containers.start(settings.host(), settings.port(), settings.http(), application);
    log.info(
        "Jobplane {} listening on http://{}:{}/ (started in {} ms)",
        settings.restApi() ? "API" : "operator",
        settings.host(),
        port(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /** Serves until SIGTERM/SIGINT, then shuts down gracefully; the process's exit code. */
  public int runUntilStopped() throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close();
                  stopped.countDown();
                },
                "jobplane-shutdown"));
    stopped.await();
    return 0;
  }

  /** The port actually bound (useful with --port 0). */
  public int port() {
    return http.port();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    log.info("Shutting down: not ready any more, letting in-flight requests finish");
    draining.set(true);
    if (restApi != null) {
      restApi.releaseWaitingRequests();
    }
    if (http != null) {
      try {
        http.close(); // graceful: waits up to --shutdown-grace-seconds, new requests get 503
      } catch (Exception e) {
        log.warn("The HTTP server did not stop cleanly: {}", e.toString());
      }
    }
    if (restApi != null) {
      restApi.stopWriters();
    }
    if (background != null) {
      background.close(); // what time alone starts, before the clients it calls go away
    }
    if (operator != null) {
      operator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (database != null) {
      database.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    log.info("Jobplane stopped");
  }
}
