package io.jobplane.app;

import io.jobplane.adapters.cron.CronUtilsRules;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.adapters.rest.ApiServices;
import io.jobplane.adapters.rest.ApiSettings;
import io.jobplane.adapters.rest.JobplaneApi;
import io.jobplane.adapters.rest.auth.AdminTokenBootstrap;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.adapters.rest.auth.TokenRegistry;
import io.jobplane.adapters.rest.metrics.BacklogGauges;
import io.jobplane.adapters.rest.metrics.LimitGauges;
import io.jobplane.application.port.in.CheckReadinessUseCase;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.ApiTokensService;
import io.jobplane.application.service.BacklogService;
import io.jobplane.application.service.CheckReadinessService;
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
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of a server process: its use cases on one store, their gauges, the background loops
 * that drive them, and the tokens that may call it. It keeps the two services that hold requests
 * open, so that shutdown can release them before the HTTP container waits for in-flight requests.
 */
final class RestApiWiring {

  private static final Logger log = LoggerFactory.getLogger(RestApiWiring.class);

  private final ServerSettings settings;
  private final PostgresStore store;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;

  /**
   * Submits stored together (issue 11). Two committers did best on the 2-core reference machine
   * (docs/benchmarks.md: 16 connections submitting, medians of 3 to 4 runs: 1 committer 683 req/s,
   * 2 committers 816, 4 committers 770; each committer holds one pooled connection).
   */
  private static final int SUBMIT_COMMITTERS = 2;

  private static final int SUBMIT_BATCH = 64;

  private LiveStreamsService live;
  private LongPollClaimsService longPolls;
  private SubmitJobService submit;

  RestApiWiring(
      ServerSettings settings, PostgresStore store, Clock clock, PrometheusMeterRegistry registry) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.registry = registry;
  }

  /**
   * Builds the API and starts the loops behind it on {@code background}.
   *
   * @param workloads where submit and control send their cluster calls
   * @param draining true once shutdown begins: readiness turns false
   */
  JobplaneApi start(WorkloadOutbox workloads, BackgroundWork background, BooleanSupplier draining) {
    KubernetesSettings k8s = settings.kubernetes();
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
        StoreCollaborators.onStore(WorkerProtocolService.builder(), store, clock)
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
        StoreCollaborators.onStore(SubmitJobService.builder(), store, clock)
            .keys(store.idempotencyKeys())
            .workloads(workloads)
            .namespaces(k8s.operatorSettings().policy().projectNamespaces())
            .secrets(store.secretStore())
            .dependencies(store.jobDependencies())
            .limits(store.projectLimits())
            .groupCommit(SUBMIT_COMMITTERS, SUBMIT_BATCH)
            .parkedClaims(longPolls)
            .build();
    this.submit = submit;
    ControlJobService control = StoreCollaborators.controlJobs(store, clock, workloads);
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
            readiness(new CheckReadinessService(store.health()), draining),
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
    return new JobplaneApi(
        services,
        tokens(),
        registry,
        new ApiSettings(
            settings.metricsPublic(), ApiSettings.DEFAULT_TOKEN_CACHE_TTL, settings.rateLimit()));
  }

  /** Not ready once shutdown begins, so load balancers stop sending before requests are refused. */
  private static CheckReadinessUseCase readiness(
      CheckReadinessUseCase store, BooleanSupplier draining) {
    return () -> !draining.getAsBoolean() && store.isReady();
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

  /**
   * Ends what holds requests open: live streams end (clients resume elsewhere with Last-Event-ID)
   * and waiting claims answer an empty list (workers claim again elsewhere).
   */
  /**
   * Stops the submits' group commit once the HTTP container has let in-flight requests finish: what
   * it holds commits first.
   */
  void stopWriters() {
    if (submit != null) {
      submit.close();
    }
  }

  void releaseWaitingRequests() {
    if (live != null) {
      live.close();
    }
    if (longPolls != null) {
      longPolls.close();
    }
  }
}
