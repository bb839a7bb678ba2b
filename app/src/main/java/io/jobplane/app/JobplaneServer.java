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
import io.jobplane.adapters.webhook.CloudEventsWebhookSender;
import io.jobplane.app.http.HttpContainer;
import io.jobplane.app.http.JettyHttpServer;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.port.in.ScheduleTicksUseCase;
import io.jobplane.application.port.in.SweeperUseCase;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.ApiTokensService;
import io.jobplane.application.service.BacklogService;
import io.jobplane.application.service.CheckReadinessService;
import io.jobplane.application.service.ClusterJobsService;
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
import io.jobplane.application.service.WebhookRelayService;
import io.jobplane.application.service.WebhooksService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkersService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.service.WorkloadRelay;
import io.jobplane.domain.webhook.DeliveryBackoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
  private PeriodicTask sweeper;
  private PeriodicTask scheduleTicks;
  private WebhookRelay webhookRelay;
  private PeriodicTask webhookLogRetention;
  private PeriodicTask workloadRelay;
  private ExecutorService relayPool;
  private static final Duration RELAY_EVERY = Duration.ofSeconds(2);
  private static final int RELAY_THREADS = 4;
  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);
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
    KubernetesSettings k8s = settings.kubernetes();
    WorkloadOutbox workloads = WorkloadOutbox.disabled();
    if (k8s.any()) {
      kubernetes = kubernetesClients.get();
      log.info("Using Kubernetes API server {}", kubernetes.getMasterUrl());
      if (k8s.runtime()) {
        workloads =
            startWorkloadRelay(
                new KubernetesWorkloadRuntime(kubernetes, k8s.operatorSettings().policy()), clock);
      }
    }
    if (k8s.operator()) {
      operator =
          JobplaneOperator.start(
              kubernetes,
              new ClusterJobsService(
                  store.jobRepository(),
                  store.taskRepository(),
                  store.telemetryRepository(),
                  store.jobCredentials(),
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
        new WorkerProtocolService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobViewReader(),
            store.telemetryRepository(),
            store.transactions(),
            clock,
            () -> ThreadLocalRandom.current().nextDouble(),
            store.secretStore(),
            secretsKey,
            store.jobDependencies(),
            store.projectLimits());
    longPolls =
        new LongPollClaimsService(
            workerProtocol,
            store.queueBackoffs(),
            store.changeSignals(),
            settings.http().claimWaits(),
            clock);
    registry.gauge("jobplane.claims.waiting", longPolls, LongPollClaimsService::parkedClaims);
    SubmitJobService submit =
        new SubmitJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.idempotencyKeys(),
            store.transactions(),
            clock,
            workloads,
            k8s.operatorSettings().policy().projectNamespaces(),
            store.secretStore(),
            store.jobDependencies(),
            store.projectLimits());
    ControlJobService control =
        new ControlJobService(
            store.jobRepository(),
            store.taskRepository(),
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
    startSweeper(
        new SweeperService(
            store.jobRepository(),
            store.taskRepository(),
            store.transactions(),
            () -> ThreadLocalRandom.current().nextDouble(),
            store.workerRegistry(),
            settings.workerExpiry()),
        clock);
    // read when /metrics is scraped, never on a timer: an idle server stays quiet
    BacklogGauges.register(
        new BacklogService(store.queueOverview(), store.scheduleRepository(), clock), registry);
    LimitGauges.register(limits, registry);
    startScheduleTicks(schedules, clock, registry);
    startWebhookRelay(secretsKey, clock, registry);
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
   * The outbox of cluster calls: each change's relay runs on a small pool of its own once the
   * change commits, and a pass every {@link #RELAY_EVERY} makes the calls a crash, an outage or
   * another replica left behind (an empty outbox costs one indexed read per pass).
   */
  private WorkloadOutbox startWorkloadRelay(WorkloadRuntime runtime, Clock clock) {
    relayPool =
        Executors.newFixedThreadPool(
            RELAY_THREADS,
            r -> {
              Thread t = new Thread(r, "jobplane-cluster-calls");
              t.setDaemon(true);
              return t;
            });
    WorkloadRelay relay =
        new WorkloadRelay(
            store.workloadIntents(),
            runtime,
            store.jobRepository(),
            store.taskRepository(),
            store.transactions(),
            clock,
            relayPool);
    workloadRelay =
        PeriodicTask.start(
            "jobplane-cluster-relay",
            "Cluster call relay",
            RELAY_EVERY,
            () -> {
              int delivered = relay.deliverDue();
              if (delivered > 0) {
                log.info("Cluster call relay: {} intents left by earlier requests", delivered);
              }
            });
    return new WorkloadOutbox(
        runtime,
        store.workloadIntents(),
        relay,
        store.transactions(),
        clock,
        WorkloadOutbox.DEFAULT_WAIT);
  }

  /** Sweeps every --sweep-interval-ms; a failing sweep is logged and the next one runs anyway. */
  private void startSweeper(SweeperUseCase sweeperService, Clock clock) {
    sweeper =
        PeriodicTask.start(
            "jobplane-sweeper",
            "Sweep",
            settings.sweepInterval(),
            () -> {
              SweeperUseCase.SweepResult result = sweeperService.sweep(clock.instant());
              if (result.lostAgents() > 0) {
                log.info(
                    "Sweep: {} broadcast tasks failed as AGENT_LOST (their worker went away)",
                    result.lostAgents());
              }
              if (result.forgottenWorkers() > 0) {
                log.info(
                    "Sweep: forgot {} workers not seen for the expiry", result.forgottenWorkers());
              }
              if (result.jobs() > 0) {
                log.info(
                    "Sweep: {} jobs, {} expired leases, {} timed-out tasks, {} forced stops",
                    result.jobs(),
                    result.expiredLeases(),
                    result.timedOutTasks(),
                    result.forcedStops());
              }
            });
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
        new SubmitJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.idempotencyKeys(),
            store.transactions(),
            clock),
        new ControlJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.telemetryRepository(),
            store.transactions(),
            clock),
        new CronUtilsRules(),
        store.transactions(),
        clock);
  }

  /**
   * Ticks the due schedules every --sweep-interval-ms (default 1 s, cron's finest unit), like the
   * sweeper: both are work that time alone starts, and a process told to keep its store quiet keeps
   * both quiet. A failing tick is logged and the next one runs anyway. Every replica runs this
   * loop: row locks and unique ticks make each run happen once.
   */
  private void startScheduleTicks(ScheduleTicksUseCase ticks, Clock clock, MeterRegistry registry) {
    Counter started = tickCounter(registry, "started");
    Counter skipped = tickCounter(registry, "skipped");
    Counter missed = tickCounter(registry, "missed");
    scheduleTicks =
        PeriodicTask.start(
            "jobplane-schedules",
            "Schedule tick",
            settings.sweepInterval(),
            () -> {
              ScheduleTicksUseCase.TickResult result = ticks.tick(clock.instant());
              started.increment(result.jobsStarted());
              skipped.increment(result.skipped());
              missed.increment(result.missed());
              if (result.jobsStarted() > 0) {
                log.debug(
                    "Schedules: {} ticked, {} jobs started",
                    result.schedules(),
                    result.jobsStarted());
              }
            });
  }

  /**
   * {@code jobplane_schedule_ticks_total{outcome}}: due ticks that started a job, were skipped by
   * the FORBID policy, or were missed (past the starting deadline or beyond the catch-up; after a
   * long outage at least the ticks seen). Alert on any increase of missed.
   */
  private static Counter tickCounter(MeterRegistry registry, String outcome) {
    return Counter.builder("jobplane.schedule.ticks")
        .description("Due schedule ticks by what became of them")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Sends the webhook deliveries the store queues with job events, after their transactions commit,
   * on a pool of its own: a slow receiver never holds up a transition. Every replica runs a relay;
   * claims with SKIP LOCKED give each delivery to one of them at a time.
   */
  private void startWebhookRelay(SecretCipher secretsKey, Clock clock, MeterRegistry registry) {
    WebhookSettings hooks = settings.webhooks();
    ExecutorService pool = WebhookRelay.pool(hooks.concurrency());
    WebhookRelayService relay =
        new WebhookRelayService(
            store.webhookOutbox(),
            new CloudEventsWebhookSender(hooks.timeout(), hooks.denyPrivateAddresses(), clock),
            secretsKey,
            DeliveryBackoff.withBase(hooks.retryBase()),
            () -> ThreadLocalRandom.current().nextDouble(),
            clock,
            WebhookRelayService.Limits.forTimeout(hooks.timeout(), hooks.concurrency()),
            pool);
    webhookRelay = WebhookRelay.start(relay, pool, store.changeSignals(), clock, registry);
    // the log's retention needs no precision: every 10 minutes, or less often on a quiet store
    Duration every =
        settings.sweepInterval().compareTo(FORGET_EVERY) > 0
            ? settings.sweepInterval()
            : FORGET_EVERY;
    webhookLogRetention =
        PeriodicTask.start(
            "jobplane-webhook-log",
            "Webhook log retention",
            every,
            () -> {
              int forgotten = relay.forgetSettled(hooks.logRetention());
              if (forgotten > 0) {
                log.debug("Webhook log: forgot {} settled deliveries", forgotten);
              }
            });
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
    if (workloadRelay != null) {
      workloadRelay.close();
    }
    if (relayPool != null) {
      relayPool.shutdown(); // the calls under way finish; what is left stays in the outbox
    }
    if (operator != null) {
      operator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (scheduleTicks != null) {
      scheduleTicks.close();
    }
    if (webhookLogRetention != null) {
      webhookLogRetention.close();
    }
    if (webhookRelay != null) {
      webhookRelay.close();
    }
    if (sweeper != null) {
      sweeper.close();
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
