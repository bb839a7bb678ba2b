package io.jobplane.app;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jobplane.adapters.cron.CronUtilsRules;
import io.jobplane.adapters.k8s.operator.JobplaneOperator;
import io.jobplane.adapters.k8s.operator.KubernetesWorkloadRuntime;
import io.jobplane.adapters.persistence.DatabaseConfig;
import io.jobplane.adapters.persistence.EmbeddedPostgresDatabase;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.adapters.rest.ApiServices;
import io.jobplane.adapters.rest.ApiSettings;
import io.jobplane.adapters.rest.JobplaneApi;
import io.jobplane.adapters.rest.auth.AdminTokenBootstrap;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.adapters.rest.auth.TokenRegistry;
import io.jobplane.adapters.rest.metrics.BacklogGauges;
import io.jobplane.adapters.rest.metrics.LimitGauges;
import io.jobplane.adapters.rest.metrics.MicrometerJobLifecycleMetrics;
import io.jobplane.app.http.HttpContainer;
import io.jobplane.app.http.JettyHttpServer;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.ApiTokensService;
import io.jobplane.application.service.BacklogService;
import io.jobplane.application.service.CheckReadinessService;
import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.CollaboratorsBuilder;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.JobGraphService;
import io.jobplane.application.service.LiveStreamsService;
import io.jobplane.application.service.LongPollClaimsService;
import io.jobplane.application.service.ProjectLimitsService;
import io.jobplane.application.service.QueryJobsService;
import io.jobplane.application.service.QueueOverviewService;
import io.jobplane.application.service.RunCredentialsService;
import io.jobplane.application.service.ScheduleService;
import io.jobplane.application.service.SecretsService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.SweeperService;
import io.jobplane.application.service.TelemetryQueryService;
import io.jobplane.application.service.TelemetryService;
import io.jobplane.application.service.WebhooksService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkersService;
import io.jobplane.application.service.WorkloadOutbox;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.glassfish.jersey.server.ResourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds the store, the use cases and the HTTP API, and takes them down in
 * reverse order. Nothing else in the code base knows how the pieces fit together.
 */
public final class JobplaneServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JobplaneServer.class);

  private final ServerSettings settings;
  private final Supplier<KubernetesClient> kubernetesClients;
  private KubernetesClient kubernetes;
  private JobplaneOperator operator;
  private EmbeddedPostgresDatabase embedded;
  private PostgresStore store;
  private final HttpContainer.Factory containers;
  private HttpContainer http;
  private LiveStreamsService live;
  private LongPollClaimsService longPolls;
  private final AtomicBoolean draining = new AtomicBoolean();
  private BackgroundWork background;
  private JvmGcMetrics gcMetrics;
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
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    JobplaneApi.prepareRegistry(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    store =
        PostgresStore.open(databaseConfig(), registry, new MicrometerJobLifecycleMetrics(registry));
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
      operator =
          JobplaneOperator.start(
              kubernetes,
              new ClusterJobsService(
                  store.jobRepository(),
                  store.jobLocks(),
                  store.telemetryRepository(),
                  store.jobCredentials(),
                  store.projectLimits(),
                  store.transactions(),
                  clock),
              operatorSchedules(clock),
              k8s.operatorSettings(),
              k8s.namespaces(),
              k8s.leaseNamespace(),
              k8s.serverSideApply(),
              JobplaneOperator.EXIT_ON_LOST_LEADERSHIP,
              registry);
      log.info(
          "Operator watching {}",
          k8s.namespaces().isEmpty() ? "all namespaces" : "namespaces " + k8s.namespaces());
    }
    if (!settings.restApi()) {
      startHttp(
          new OperatorEndpoints(
                  store.health(), () -> operator != null && operator.isReady(), registry)
              .application(),
          started);
      return;
    }
    live =
        new LiveStreamsService(
            store.jobRepository(),
            store.timelineFeed(),
            store.telemetryRepository(),
            store.changeSignals(),
            settings.http().live());
    registry.gauge("jobplane.live.streams", live, LiveStreamsService::openStreams);
    SecretCipher secretsKey =
        SecretsKeys.cipher(settings.secretsKeyFile(), settings.dataDir(), System.getenv());
    WorkerProtocolService workerProtocol =
        onStore(WorkerProtocolService.builder(), clock)
            .locks(store.jobLocks())
            .claims(store.taskClaims())
            .positions(store.queuePositions())
            .views(store.jobViewReader())
            .telemetry(store.telemetryRepository())
            .random(() -> ThreadLocalRandom.current().nextDouble())
            .secrets(store.secretStore(), secretsKey)
            .dependencies(store.jobDependencies())
            .limits(store.projectLimits())
            .build();
    longPolls =
        new LongPollClaimsService(
            workerProtocol,
            store.queueBackoffs(),
            store.changeSignals(),
            settings.http().claimWaits(),
            clock);
    registry.gauge("jobplane.claims.waiting", longPolls, LongPollClaimsService::parkedClaims);
    SubmitJobService submit =
        onStore(SubmitJobService.builder(), clock)
            .keys(store.idempotencyKeys())
            .workloads(workloads)
            .namespaces(k8s.operatorSettings().policy().projectNamespaces())
            .secrets(store.secretStore())
            .dependencies(store.jobDependencies())
            .limits(store.projectLimits())
            .build();
    ControlJobService control =
        new ControlJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobLocks(),
            store.workerPresence(),
            store.telemetryRepository(),
            store.transactions(),
            clock,
            workloads);
    ScheduleService schedules =
        new ScheduleService(
            store.scheduleRepository(),
            store.jobRepository(),
            submit,
            control,
            new CronUtilsRules(),
            store.transactions(),
            clock);
    ProjectLimitsService limits =
        new ProjectLimitsService(store.projectLimits(), store.transactions(), clock);
    ApiServices services =
        new ApiServices(
            submit,
            new QueryJobsService(store.jobRepository(), store.jobListExpansions()),
            control,
            readiness(new CheckReadinessService(store.health())),
            workerProtocol,
            new TelemetryService(
                store.leaseVerifier(), store.telemetryRepository(), store.transactions(), clock),
            new TelemetryQueryService(store.jobRepository(), store.telemetryRepository()),
            live,
            new RunCredentialsService(
                store.jobCredentials(), store.jobRepository(), store.transactions()),
            longPolls,
            new ApiTokensService(store.apiTokens(), clock),
            new SecretsService(store.secretStore(), secretsKey, store.transactions(), clock),
            schedules,
            new QueueOverviewService(store.queueOverview(), store.projectLimits(), clock),
            new WebhooksService(
                store.webhooks(), store.webhookOutbox(), secretsKey, store.transactions(), clock),
            new JobGraphService(store.jobGraphRepository(), submit, store.transactions(), clock),
            new WorkersService(store.workerRegistry(), store.transactions(), clock),
            limits);
    background.startSweeper(
        new SweeperService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobLocks(),
            store.taskSweeps(),
            store.workerPresence(),
            store.transactions(),
            () -> ThreadLocalRandom.current().nextDouble(),
            store.workerRegistry(),
            settings.workerExpiry()));
    // read when /metrics is scraped, never on a timer: an idle server stays quiet
    BacklogGauges.register(
        new BacklogService(store.queueOverview(), store.scheduleRepository(), clock), registry);
    LimitGauges.register(limits, registry);
    background.startScheduleTicks(schedules);
    background.startWebhookRelay(secretsKey);
    JobplaneApi api =
        new JobplaneApi(
            services,
            tokens(),
            registry,
            new ApiSettings(
                settings.metricsPublic(),
                ApiSettings.DEFAULT_TOKEN_CACHE_TTL,
                settings.rateLimit()));
    startHttp(api, started);
  }

  /** The job and task stores, the workers' presence and the transactions of the store. */
  private <B extends CollaboratorsBuilder<B>> B onStore(B builder, Clock clock) {
    return builder
        .jobs(store.jobRepository())
        .tasks(store.taskRepository())
        .presence(store.workerPresence())
        .tx(store.transactions())
        .clock(clock);
  }

  /** Not ready once shutdown begins, so load balancers stop sending before requests are refused. */
  private CheckReadinessUseCase readiness(CheckReadinessUseCase store) {
    return () -> !draining.get() && store.isReady();
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

  /**
   * The schedules of {@code JobSchedule} resources. The operator only stores and reads them (apply,
   * forget); the API server's loop ticks them, so the submit and control services here, which only
   * a tick would call, get no Kubernetes runtime.
   */
  private ScheduleService operatorSchedules(Clock clock) {
    return new ScheduleService(
        store.scheduleRepository(),
        store.jobRepository(),
        onStore(SubmitJobService.builder(), clock).keys(store.idempotencyKeys()).build(),
        new ControlJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobLocks(),
            store.workerPresence(),
            store.telemetryRepository(),
            store.transactions(),
            clock,
            WorkloadOutbox.disabled()),
        new CronUtilsRules(),
        store.transactions(),
        clock);
  }

  private DatabaseConfig databaseConfig() throws IOException {
    if (settings.databaseUrl() == null) {
      Path pgDir = settings.dataDir().resolve("postgres");
      log.info("Starting embedded PostgreSQL with data in {}", pgDir.toAbsolutePath());
      embedded = EmbeddedPostgresDatabase.start(pgDir);
      return embedded.config(settings.databasePoolSize());
    }
    String password = null;
    if (settings.databasePasswordFile() != null) {
      password = Files.readString(settings.databasePasswordFile(), StandardCharsets.UTF_8).strip();
    }
    log.info("Using external PostgreSQL as user {}", settings.databaseUser());
    return new DatabaseConfig(
        settings.databaseUrl(), settings.databaseUser(), password, settings.databasePoolSize());
  }

  private TokenRegistry tokens() {
    if (settings.tokensFile() != null) {
      log.info("Loading API tokens from {}", settings.tokensFile().toAbsolutePath());
      return TokenRegistry.load(settings.tokensFile());
    }
    String admin = AdminTokenBootstrap.ensureAdminToken(settings.dataDir());
    Path file = settings.dataDir().resolve("admin.token").toAbsolutePath();
    log.info("No --tokens-file given: the admin token is in {} (mode 0600)", file);
    return TokenRegistry.of(List.of(TokenEntry.forToken("admin", admin, Set.of(Role.ADMIN), null)));
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
    if (live != null) {
      live.close(); // streams end; clients resume elsewhere with Last-Event-ID
    }
    if (longPolls != null) {
      longPolls.close(); // waiting claims answer an empty list; workers claim again elsewhere
    }
    if (http != null) {
      try {
        http.close(); // graceful: waits up to --shutdown-grace-seconds, new requests get 503
      } catch (Exception e) {
        log.warn("The HTTP server did not stop cleanly: {}", e.toString());
      }
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
    if (store != null) {
      store.close();
    }
    if (embedded != null) {
      embedded.close();
    }
    if (gcMetrics != null) {
      gcMetrics.close();
    }
    log.info("Jobplane stopped");
  }
}
