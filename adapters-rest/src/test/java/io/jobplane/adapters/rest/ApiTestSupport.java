package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.adapters.rest.auth.TokenRegistry;
import io.jobplane.application.port.out.CronRules;
import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.QueueBackoffs;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.ApiTokensService;
import io.jobplane.application.service.ClaimWaitLimits;
import io.jobplane.application.service.ClusterJobsService;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.JobGraphService;
import io.jobplane.application.service.LiveLimits;
import io.jobplane.application.service.LiveStreamsService;
import io.jobplane.application.service.LongPollClaimsService;
import io.jobplane.application.service.ProjectLimitsService;
import io.jobplane.application.service.QueryJobsService;
import io.jobplane.application.service.QueueOverviewService;
import io.jobplane.application.service.RunCredentialsService;
import io.jobplane.application.service.ScheduleService;
import io.jobplane.application.service.SecretsService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.TelemetryQueryService;
import io.jobplane.application.service.TelemetryService;
import io.jobplane.application.service.WebhooksService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkersService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryApiTokens;
import io.jobplane.application.testing.InMemoryChangeSignals;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobCredentials;
import io.jobplane.application.testing.InMemoryJobDependencyStore;
import io.jobplane.application.testing.InMemoryJobGraphRepository;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryLeaseVerifier;
import io.jobplane.application.testing.InMemoryProjectLimitsStore;
import io.jobplane.application.testing.InMemoryQueueOverviewReader;
import io.jobplane.application.testing.InMemoryScheduleRepository;
import io.jobplane.application.testing.InMemorySecretStore;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.InMemoryWebhookOutbox;
import io.jobplane.application.testing.InMemoryWebhooks;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.SeparateReadsJobListExpansions;
import io.jobplane.application.testing.TestWorkloads;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.schedule.CronRule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.jersey.test.JerseyTest;
import org.glassfish.jersey.test.inmemory.InMemoryTestContainerFactory;
import org.glassfish.jersey.test.spi.TestContainerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A JerseyTest (in memory) over the real services and the in-memory fakes. JerseyTest calls {@link
 * #configure()} from its constructor, so the fixtures are created there, not in field initializers.
 */
abstract class ApiTestSupport extends JerseyTest {

  static final String ADMIN = "admin-secret";
  static final String SUBMITTER = "ci-secret";
  static final String VIEWER = "viewer-secret";
  static final String ETL = "etl-secret";
  static final String WORKER = "worker-secret";
  static final String SCRAPER = "scraper-secret";
  static final String ETL_WORKER = "etl-worker-secret";
  static final ObjectMapper JSON = new ObjectMapper();

  InMemoryJobRepository jobs;
  InMemoryIdempotencyKeys keys;
  InMemoryTaskRepository tasks;
  InMemoryLeaseVerifier leases;
  InMemoryTelemetryRepository telemetry;
  MutableClock clock;
  PrometheusMeterRegistry registry;
  AtomicBoolean ready;
  AtomicBoolean explode;
  InMemoryJobCredentials credentials;
  RecordingWorkloads workloads;
  ClusterJobsService cluster;
  InMemoryChangeSignals signals;
  LiveStreamsService live;
  LongPollClaimsService longPolls;
  InMemoryApiTokens apiTokens;
  InMemorySecretStore secretStore;
  SecretCipher cipher;
  InMemoryScheduleRepository schedules;
  InMemoryJobGraphRepository graphs;
  InMemoryJobDependencyStore dependencies;
  InMemoryQueueOverviewReader queueCounts;
  InMemoryWebhooks webhooks;
  InMemoryWebhookOutbox webhookOutbox;
  InMemoryProjectLimitsStore limits;

  /**
   * The cron expressions API tests use; any other is refused as the real parser refuses an invalid
   * one (adapters-cron's own tests cover what it accepts).
   */
  static final CronRules KNOWN_CRONS =
      expression -> {
        if (!Set.of("*/1 * * * * *", "30 2 * * *", "@daily").contains(expression)) {
          throw DomainException.invalid(
              "cron", "'" + expression + "' is not a valid cron expression");
        }
        return new CronRule() {
          @Override
          public Optional<ZonedDateTime> next(ZonedDateTime after) {
            return Optional.of(after.truncatedTo(ChronoUnit.DAYS).plusDays(1));
          }

          @Override
          public Optional<ZonedDateTime> previous(ZonedDateTime before) {
            return Optional.of(before.minusNanos(1).truncatedTo(ChronoUnit.DAYS));
          }
        };
      };

  /** The cluster as the API sees it: records what it was asked; may be told to refuse. */
  static final class RecordingWorkloads implements WorkloadRuntime {
    final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile RuntimeException refusal;

    private void record(String what, JobSnapshot job) {
      if (refusal != null) {
        throw refusal;
      }
      calls.add(what + " " + job.id() + " run " + job.runId());
    }

    @Override
    public void admit(JobSnapshot job) {
      if (refusal instanceof DomainException d && d.reason() == DomainException.Reason.FORBIDDEN) {
        throw refusal; // the platform's policy: refused before anything is stored
      }
    }

    @Override
    public void launch(JobSnapshot job) {
      record("launch", job);
    }

    @Override
    public void stop(JobSnapshot job) {
      record("stop", job);
    }

    @Override
    public void restart(JobSnapshot job) {
      record("restart", job);
    }

    @Override
    public void delete(String namespace, String resourceName) {
      if (refusal != null) {
        throw refusal;
      }
      calls.add("delete " + namespace + "/" + resourceName);
    }
  }

  ApiSettings settings() {
    return ApiSettings.defaults();
  }

  LiveLimits liveLimits() {
    return LiveLimits.DEFAULTS;
  }

  ClaimWaitLimits claimWaitLimits() {
    return ClaimWaitLimits.DEFAULTS;
  }

  @Override
  protected Application configure() {
    signals = new InMemoryChangeSignals();
    jobs = new InMemoryJobRepository().signalTo(signals);
    keys = new InMemoryIdempotencyKeys();
    telemetry = new InMemoryTelemetryRepository(jobs).signalTo(signals);
    live = new LiveStreamsService(jobs, jobs, telemetry, signals, liveLimits());
    clock = MutableClock.fixed();
    leases = new InMemoryLeaseVerifier(clock);
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ready = new AtomicBoolean(true);
    explode = new AtomicBoolean(false);
    DirectTransactionRunner tx = new DirectTransactionRunner();
    tasks = new InMemoryTaskRepository(jobs, clock).signalTo(signals);
    credentials = new InMemoryJobCredentials();
    apiTokens = new InMemoryApiTokens();
    workloads = new RecordingWorkloads();
    WorkloadOutbox outbox = new TestWorkloads(workloads, jobs, tasks, tx, clock).outbox;
    limits = new InMemoryProjectLimitsStore(jobs);
    cluster = new ClusterJobsService(jobs, tasks, telemetry, credentials, limits, tx, clock);
    secretStore = new InMemorySecretStore();
    queueCounts = new InMemoryQueueOverviewReader();
    cipher = new SecretCipher(SecretCipher.generateKey());
    WorkerProtocolService workerProtocol =
        InMemoryServices.workerProtocol(jobs, tasks, telemetry, tx, clock)
            .secrets(secretStore, cipher)
            .limits(limits)
            .build();
    longPolls =
        new LongPollClaimsService(
            workerProtocol, QueueBackoffs.NONE, signals, claimWaitLimits(), clock);
    SubmitJobService submit =
        InMemoryServices.submit(jobs, tasks, keys, tx, clock)
            .workloads(outbox)
            .secrets(secretStore)
            .limits(limits)
            .build();
    ControlJobService control =
        new ControlJobService(jobs, tasks, tasks, tasks, telemetry, tx, clock, outbox);
    schedules = new InMemoryScheduleRepository(jobs);
    graphs = new InMemoryJobGraphRepository(jobs);
    dependencies = new InMemoryJobDependencyStore(jobs);
    webhooks = new InMemoryWebhooks();
    webhookOutbox = new InMemoryWebhookOutbox();
    ApiServices services =
        new ApiServices(
            submit,
            new QueryJobsService(jobs, new SeparateReadsJobListExpansions(jobs, tasks)),
            control,
            () -> {
              if (explode.get()) {
                throw new IllegalStateException("boom-internal");
              }
              return ready.get();
            },
            workerProtocol,
            new TelemetryService(
                // leases granted directly by telemetry tests, else through the worker protocol
                new LeaseVerifier() {
                  @Override
                  public Optional<LeasedTask> lockTask(JobId job, int index) {
                    return leases.lockTask(job, index).or(() -> tasks.lockTask(job, index));
                  }

                  @Override
                  public VerifiedLease requireCurrentRun(JobId job, int index, int runId) {
                    return tasks.requireCurrentRun(job, index, runId);
                  }
                },
                telemetry,
                tx,
                clock),
            new TelemetryQueryService(jobs, telemetry),
            live,
            new RunCredentialsService(credentials, jobs, tx),
            longPolls,
            new ApiTokensService(apiTokens, clock),
            new SecretsService(secretStore, cipher, tx, clock),
            new ScheduleService(schedules, jobs, submit, control, KNOWN_CRONS, tx, clock),
            new QueueOverviewService(queueCounts, limits, clock),
            new WebhooksService(webhooks, webhookOutbox, cipher, tx, clock),
            new JobGraphService(
                graphs,
                // the graph's nodes wait for each other: a submit that keeps their edges
                InMemoryServices.submit(jobs, tasks, keys, tx, clock)
                    .workloads(outbox)
                    .secrets(secretStore)
                    .dependencies(dependencies)
                    .limits(limits)
                    .build(),
                tx,
                clock),
            new WorkersService(tasks, tx, clock),
            new ProjectLimitsService(limits, tx, clock));
    TokenRegistry tokens =
        TokenRegistry.of(
            List.of(
                TokenEntry.forToken("admin", ADMIN, Set.of(Role.ADMIN), null),
                TokenEntry.forToken("ci", SUBMITTER, Set.of(Role.SUBMITTER), null),
                TokenEntry.forToken("viewer", VIEWER, Set.of(Role.VIEWER), null),
                TokenEntry.forToken("etl", ETL, Set.of(Role.SUBMITTER), Set.of("etl")),
                TokenEntry.forToken("worker", WORKER, Set.of(Role.WORKER), null),
                TokenEntry.forToken("scraper", SCRAPER, Set.of(Role.METRICS), Set.of()),
                TokenEntry.forToken("etl-worker", ETL_WORKER, Set.of(Role.WORKER), Set.of("etl"))));
    return new JobplaneApi(services, tokens, registry, settings());
  }

  @Override
  protected TestContainerFactory getTestContainerFactory() {
    return new InMemoryTestContainerFactory();
  }

  @BeforeEach
  void start() throws Exception {
    super.setUp();
  }

  @AfterEach
  void stop() throws Exception {
    super.tearDown();
    live.close();
    longPolls.close();
  }

  // ----- requests -------------------------------------------------------------------------------

  Invocation.Builder as(String token, WebTarget target) {
    Invocation.Builder b = target.request();
    return token == null ? b : b.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  Invocation.Builder as(String token, String path) {
    return as(token, at(path));
  }

  /** A target for a path that may carry an already encoded query string. */
  WebTarget at(String pathAndQuery) {
    return client().target(getBaseUri().resolve(pathAndQuery));
  }

  /** The lease tokens the claims of this test returned, by "job_id/task_index". */
  private final Map<String, String> leaseTokens = new ConcurrentHashMap<>();

  /** Keeps the lease tokens of a claim's answer, for {@link #proven}; returns the answer. */
  JsonNode remembered(JsonNode claimAnswer) {
    for (JsonNode lease : claimAnswer.path("leases")) {
      leaseTokens.put(
          lease.path("job_id").asText() + "/" + lease.path("task_index").asInt(),
          lease.path("lease_token").asText());
    }
    return claimAnswer;
  }

  /** The token a claim of this test returned for the task (a wrong one if none did). */
  String leaseToken(String jobId, int taskIndex) {
    return leaseTokens.getOrDefault(jobId + "/" + taskIndex, "jpl_lease_never-claimed");
  }

  /** A report body with the task's lease token added, as the worker that claimed it sends. */
  String proven(String jobId, int taskIndex, String body) {
    return body.startsWith("{") && !body.contains("\"lease_token\"")
        ? "{\"lease_token\":\""
            + leaseToken(jobId, taskIndex)
            + "\""
            + (body.equals("{}") ? "}" : "," + body.substring(1))
        : body;
  }

  Response post(String token, String path, String json) {
    return as(token, path).post(Entity.entity(json, MediaType.APPLICATION_JSON));
  }

  Response submit(String json) {
    return post(SUBMITTER, "api/v1/jobs", json);
  }

  /** Submits a job and returns its JSON. */
  JsonNode submitted(String json) {
    Response r = submit(json);
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(201);
    return body;
  }

  Response get(String token, String path) {
    return as(token, path).get();
  }

  Response get(String path) {
    return get(ADMIN, path);
  }

  /** Every operation /openapi.json documents, keyed "method path" in document order. */
  Map<String, JsonNode> documentedOperations() {
    Map<String, JsonNode> operations = new LinkedHashMap<>();
    json(get(null, "openapi.json"))
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        o -> operations.put(o.getKey() + " " + path.getKey(), o.getValue())));
    return operations;
  }

  static JsonNode json(Response r) {
    try {
      return JSON.readTree(r.readEntity(String.class));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String body(Map<String, Object> fields) {
    try {
      return JSON.writeValueAsString(fields);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Asserts an RFC 9457 problem with the status and returns it. */
  static JsonNode problem(Response r, int status) {
    assertThat(r.getStatus()).isEqualTo(status);
    assertThat(r.getMediaType()).isNotNull();
    assertThat(r.getMediaType().toString()).startsWith("application/problem+json");
    JsonNode p = json(r);
    assertThat(p.path("status").asInt()).as(p.toString()).isEqualTo(status);
    assertThat(p.path("title").asText()).as(p.toString()).isNotBlank();
    assertThat(p.path("type").asText()).as(p.toString()).isNotBlank();
    assertThat(p.has("detail")).as(p.toString()).isTrue();
    assertThat(p.path("instance").asText()).as(p.toString()).startsWith("/");
    assertThat(p.toString()).doesNotContain("\tat ", "Exception:");
    return p;
  }

  /** The problem's errors[] as parameter-or-field names. */
  static List<String> errorNames(JsonNode problem) {
    return java.util.stream.StreamSupport.stream(problem.path("errors").spliterator(), false)
        .map(e -> e.has("parameter") ? e.get("parameter").asText() : e.path("field").asText())
        .toList();
  }

  /** A checkpoint the job's worker reported as completed, so a restart may resume from it. */
  void completedCheckpoint(io.jobplane.domain.JobId jobId, String checkpointId) {
    telemetry.saveCheckpoint(
        jobId,
        1,
        new io.jobplane.domain.telemetry.Checkpoint(
            checkpointId,
            1,
            io.jobplane.domain.telemetry.CheckpointState.COMPLETED,
            clock.instant(),
            clock.instant(),
            null,
            null,
            "file:///checkpoints/" + checkpointId,
            0,
            java.util.List.of()));
  }
}
