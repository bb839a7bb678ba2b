package io.jobplane.app;

import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.adapters.webhook.CloudEventsWebhookSender;
import io.jobplane.application.port.in.ScheduleTicksUseCase;
import io.jobplane.application.port.in.SweeperUseCase;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.service.WebhookRelayService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.service.WorkloadRelay;
import io.jobplane.domain.webhook.DeliveryBackoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What time alone starts in a server process: the sweeper, the schedule ticks, the webhook relay
 * and its log's retention, and the relay of cluster calls. Each loop logs a failing round and runs
 * the next one anyway; {@link #close()} stops them all.
 */
final class BackgroundWork implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(BackgroundWork.class);
  private static final Duration RELAY_EVERY = Duration.ofSeconds(2);
  private static final int RELAY_THREADS = 4;
  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  private final ServerSettings settings;
  private final PostgresStore store;
  private final Clock clock;
  private final MeterRegistry registry;
  private PeriodicTask sweeper;
  private PeriodicTask scheduleTicks;
  private WebhookRelay webhookRelay;
  private PeriodicTask webhookLogRetention;
  private PeriodicTask workloadRelay;
  private ExecutorService relayPool;

  BackgroundWork(
      ServerSettings settings, PostgresStore store, Clock clock, MeterRegistry registry) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.registry = registry;
  }

  /**
   * The outbox of cluster calls: each change's relay runs on a small pool of its own once the
   * change commits, and a pass every {@link #RELAY_EVERY} makes the calls a crash, an outage or
   * another replica left behind (an empty outbox costs one indexed read per pass).
   */
  WorkloadOutbox startWorkloadRelay(WorkloadRuntime runtime) {
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
            store.jobLocks(),
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
  void startSweeper(SweeperUseCase sweeperService) {
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
   * Ticks the due schedules every --sweep-interval-ms (default 1 s, cron's finest unit), like the
   * sweeper: both are work that time alone starts, and a process told to keep its store quiet keeps
   * both quiet. A failing tick is logged and the next one runs anyway. Every replica runs this
   * loop: row locks and unique ticks make each run happen once.
   */
  void startScheduleTicks(ScheduleTicksUseCase ticks) {
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
  void startWebhookRelay(SecretCipher secretsKey) {
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

  @Override
  public void close() {
    if (workloadRelay != null) {
      workloadRelay.close();
    }
    if (relayPool != null) {
      relayPool.shutdown(); // the calls under way finish; what is left stays in the outbox
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
  }
}
