package io.jobplane.adapters.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.jobplane.application.port.out.ApiTokens;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobCredentials;
import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobGraphRepository;
import io.jobplane.application.port.out.JobLifecycleMetrics;
import io.jobplane.application.port.out.JobListExpansions;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.QueueBackoffs;
import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.application.port.out.ScheduleRepository;
import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.StoreHealth;
import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskSweeps;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.port.out.Webhooks;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.application.service.DependencyReleasingJobRepository;
import io.jobplane.application.service.ObservedJobRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The PostgreSQL store: a HikariCP pool, the schema migrated by Flyway, and the out ports built on
 * one Jdbi instance (so they share the thread's transaction).
 */
public final class PostgresStore implements AutoCloseable {

  static final String POOL_NAME = "jobplane-db";
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

  private final HikariDataSource dataSource;
  private final JobRepository jobs;
  private final JdbiJobDependencyStore dependencies;
  private final JdbiIdempotencyKeys keys;
  private final JdbiTaskRepository tasks;
  private final JdbiJobLocks locks;
  private final JdbiTaskClaims claims;
  private final JdbiWorkerPresence presence;
  private final JdbiQueuePosition positions;
  private final JdbiTaskSweeps sweeps;
  private final JdbiLeaseFences fences;
  private final JdbiJobViewReader views;
  private final JdbiTransactionRunner transactions;
  private final PostgresStoreHealth health;
  private final JdbiTelemetryRepository telemetry;
  private final JdbiTimelineFeed feed;
  private final JdbiJobCredentials credentials;
  private final JdbiApiTokens apiTokens;
  private final PostgresChangeSignals signals;
  private final JdbiQueueBackoffs backoffs;
  private final JdbiQueueOverviewReader queueOverview;
  private final JdbiWorkerRegistry workerRegistry;
  private final JdbiSecretStore secrets;
  private final JdbiScheduleRepository schedules;
  private final JdbiJobGraphRepository graphs;
  private final JdbiWebhooks webhooks;
  private final JdbiWebhookOutbox webhookOutbox;
  private final JdbiWorkloadIntents workloadIntents;
  private final JdbiJobListExpansions listExpansions;
  private final JdbiProjectLimitsStore limits;

  private PostgresStore(
      HikariDataSource dataSource,
      DatabaseConfig config,
      MeterRegistry registry,
      JobLifecycleMetrics metrics) {
    this.dataSource = dataSource;
    this.signals = new PostgresChangeSignals(config);
    Jdbi jdbi =
        // one style, the fluent API: the SqlObject plugin was installed and never used
        Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    jdbi.setTransactionHandler(
        new SignalingTransactionHandler(jdbi.getTransactionHandler(), signals::committed));
    if (registry != null) {
      // how many statements the process sends: lets tests and operators see that nothing polls
      Counter statements =
          Counter.builder("jobplane.database.statements")
              .description("SQL statements sent to PostgreSQL")
              .register(registry);
      jdbi.setSqlLogger(
          new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
              statements.increment();
            }
          });
    }
    this.keys = new JdbiIdempotencyKeys(jdbi);
    this.tasks = new JdbiTaskRepository(jdbi);
    this.locks = new JdbiJobLocks(jdbi);
    this.claims = new JdbiTaskClaims(jdbi);
    this.presence = new JdbiWorkerPresence(jdbi);
    this.positions = new JdbiQueuePosition(jdbi);
    this.sweeps = new JdbiTaskSweeps(jdbi);
    this.fences = new JdbiLeaseFences(jdbi);
    this.dependencies = new JdbiJobDependencyStore(jdbi);
    // every service of every process writes jobs through this one, so no path that ends a job
    // can leave the jobs waiting for it (depends_on) undecided
    this.jobs =
        new DependencyReleasingJobRepository(
            // inside the release: a job it skips or queues is a transition like any other
            new ObservedJobRepository(new JdbiJobRepository(jdbi), metrics),
            tasks,
            locks,
            dependencies);
    this.views = new JdbiJobViewReader(jdbi);
    this.transactions = new JdbiTransactionRunner(jdbi);
    this.health = new PostgresStoreHealth(dataSource, HEALTH_TIMEOUT);
    this.telemetry = new JdbiTelemetryRepository(jdbi);
    this.feed = new JdbiTimelineFeed(jdbi);
    this.credentials = new JdbiJobCredentials(jdbi);
    this.apiTokens = new JdbiApiTokens(jdbi);
    this.backoffs = new JdbiQueueBackoffs(jdbi);
    this.queueOverview = new JdbiQueueOverviewReader(jdbi);
    this.workerRegistry = new JdbiWorkerRegistry(jdbi);
    this.secrets = new JdbiSecretStore(jdbi);
    this.schedules = new JdbiScheduleRepository(jdbi);
    this.graphs = new JdbiJobGraphRepository(jdbi);
    this.webhooks = new JdbiWebhooks(jdbi);
    this.webhookOutbox = new JdbiWebhookOutbox(jdbi);
    this.workloadIntents = new JdbiWorkloadIntents(jdbi);
    this.listExpansions = new JdbiJobListExpansions(jdbi);
    this.limits = new JdbiProjectLimitsStore(jdbi);
  }

  /** The projects' limits (max_running, max_queued, fair-share weight) and their usage. */
  public ProjectLimitsStore projectLimits() {
    return limits;
  }

  /**
   * Creates the Hikari pool (with Micrometer metrics when registry != null), runs Flyway migrate.
   */
  public static PostgresStore open(DatabaseConfig config, MeterRegistry registry) {
    return open(config, registry, JobLifecycleMetrics.NONE);
  }

  /** As {@link #open(DatabaseConfig, MeterRegistry)}, telling {@code metrics} every transition. */
  public static PostgresStore open(
      DatabaseConfig config, MeterRegistry registry, JobLifecycleMetrics metrics) {
    Objects.requireNonNull(config, "config");
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(POOL_NAME);
    hikari.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) {
      hikari.setUsername(config.user());
    }
    if (config.password() != null) {
      hikari.setPassword(config.password());
    }
    hikari.setMaximumPoolSize(config.maxPoolSize());
    hikari.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
    // Every statement here is a short indexed read or write. PostgreSQL's JIT compiles a plan whose
    // estimated cost passes jit_above_cost, and a cached generic plan's estimates can (the claim's
    // candidates: 6 million for 1 row): it then spent 46 to 1,100 ms compiling for a 0.3 ms query.
    hikari.setConnectionInitSql("SET jit = off");
    if (registry != null) {
      hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
    }
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new PostgresStore(dataSource, config, registry, metrics);
  }

  public JobRepository jobRepository() {
    return jobs;
  }

  /** The edges of jobs submitted with depends_on. */
  public JobDependencyStore jobDependencies() {
    return dependencies;
  }

  /** Tasks of job runs and their leases (worker protocol). */
  public TaskRepository taskRepository() {
    return tasks;
  }

  /** The job row locks every change to a job's tasks takes first. */
  public JobLocks jobLocks() {
    return locks;
  }

  /** What a worker's claim may take. */
  public TaskClaims taskClaims() {
    return claims;
  }

  /** The workers seen claiming, who is live and who is gone. */
  public WorkerPresence workerPresence() {
    return presence;
  }

  /** A waiting run's place in its queue. */
  public QueuePositions queuePositions() {
    return positions;
  }

  /** The jobs where time alone decides something, for the sweeper. */
  public TaskSweeps taskSweeps() {
    return sweeps;
  }

  /** A job with its current run in one statement (what GET /api/v1/jobs/{id} shows). */
  public JobViewReader jobViewReader() {
    return views;
  }

  /** What ?expand= adds to a page of jobs, one statement per expansion for the whole page. */
  public JobListExpansions jobListExpansions() {
    return listExpansions;
  }

  public IdempotencyKeys idempotencyKeys() {
    return keys;
  }

  public TransactionRunner transactions() {
    return transactions;
  }

  public TelemetryRepository telemetryRepository() {
    return telemetry;
  }

  public TimelineFeed timelineFeed() {
    return feed;
  }

  /** Lease fencing for worker telemetry: the task table applies the domain's lease rule. */
  public LeaseVerifier leaseVerifier() {
    return fences;
  }

  /** Hashes of the credentials of Kubernetes job runs. */
  public JobCredentials jobCredentials() {
    return credentials;
  }

  /** API tokens issued through the API: metadata and hashes, never a secret. */
  public ApiTokens apiTokens() {
    return apiTokens;
  }

  /**
   * LISTEN/NOTIFY on one connection of its own: tells live streams that rows arrived and parked
   * claims that work was queued.
   */
  public ChangeSignals changeSignals() {
    return signals;
  }

  /** When retried tasks become claimable again (parked claims look again then). */
  public QueueBackoffs queueBackoffs() {
    return backoffs;
  }

  /** Per queue counts for the queues overview. */
  public QueueOverviewReader queueOverview() {
    return queueOverview;
  }

  /** The workers seen claiming: listed, and forgotten when stale. */
  public WorkerRegistry workerRegistry() {
    return workerRegistry;
  }

  /** The sealed secret values job environments reference. */
  public SecretStore secretStore() {
    return secrets;
  }

  /** Schedules and their ticks. */
  public ScheduleRepository scheduleRepository() {
    return schedules;
  }

  /** Graphs of jobs submitted at once, and the job of each node. */
  public JobGraphRepository jobGraphRepository() {
    return graphs;
  }

  /** Webhooks with their sealed signing secrets. */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** The deliveries V18's trigger writes with every matching job event, and their progress. */
  public WebhookOutbox webhookOutbox() {
    return webhookOutbox;
  }

  /** The outbox of Kubernetes calls (V25), written with the job changes that need them. */
  public WorkloadIntents workloadIntents() {
    return workloadIntents;
  }

  public StoreHealth health() {
    return health;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Closes the pool. */
  @Override
  public void close() {
    signals.close();
    health.close();
    dataSource.close();
  }
}
