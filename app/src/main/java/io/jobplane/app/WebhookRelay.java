package io.jobplane.app;

import io.jobplane.application.port.in.DeliverWebhooksUseCase;
import io.jobplane.application.port.in.DeliverWebhooksUseCase.Round;
import io.jobplane.application.port.out.ChangeSignals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the webhook relay on a thread of its own: a round as soon as the store signals that
 * deliveries were queued (by this process or another replica), and otherwise when the earliest
 * pending delivery is due. With nothing pending it waits for a signal without a single query, so an
 * idle server stays quiet. A failing round (the database is away) is retried after a growing pause.
 *
 * <p>Counters: {@code jobplane_webhook_deliveries_total{outcome="delivered"|"gave_up"}} and {@code
 * jobplane_webhook_delivery_failures_total} (every failed attempt, retried or not): alert on the
 * latter's rate and on any increase of gave_up.
 */
final class WebhookRelay implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WebhookRelay.class);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(30);
  private static final Duration RECHECK = Duration.ofMillis(100);

  private final DeliverWebhooksUseCase relay;
  private final Clock clock;
  private final Counter delivered;
  private final Counter gaveUp;
  private final Counter failures;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private boolean woken; // guarded by lock: a signal came since the current round began
  private volatile boolean closed;
  private final Thread thread;
  private final ExecutorService pool;
  private AutoCloseable listening;

  private WebhookRelay(
      DeliverWebhooksUseCase relay, ExecutorService pool, Clock clock, MeterRegistry registry) {
    this.relay = relay;
    this.pool = pool;
    this.clock = clock;
    this.delivered =
        Counter.builder("jobplane.webhook.deliveries")
            .description("Webhook deliveries acknowledged (2xx) or given up after 24 h")
            .tag("outcome", "delivered")
            .register(registry);
    this.gaveUp =
        Counter.builder("jobplane.webhook.deliveries")
            .description("Webhook deliveries acknowledged (2xx) or given up after 24 h")
            .tag("outcome", "gave_up")
            .register(registry);
    this.failures =
        Counter.builder("jobplane.webhook.delivery.failures")
            .description("Webhook attempts that got no 2xx (timeouts, errors, other statuses)")
            .register(registry);
    this.thread = new Thread(this::run, "jobplane-webhooks");
    this.thread.setDaemon(true);
  }

  /** The pool the relay's sends run on, {@code concurrency} daemon threads. */
  static ExecutorService pool(int concurrency) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(
        concurrency,
        task -> {
          Thread t = new Thread(task, "jobplane-webhook-send-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** Starts relaying; {@code pool} is the one {@code relay} sends on, shut down on close. */
  static WebhookRelay start(
      DeliverWebhooksUseCase relay,
      ExecutorService pool,
      ChangeSignals signals,
      Clock clock,
      MeterRegistry registry) {
    WebhookRelay r = new WebhookRelay(relay, pool, clock, registry);
    r.listening =
        signals.listen(
            new ChangeSignals.Listener() {
              @Override
              public void webhooksQueued() {
                r.wake();
              }

              @Override
              public void resync() {
                r.wake();
              }
            });
    r.thread.start();
    return r;
  }

  private void wake() {
    lock.lock();
    try {
      woken = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void clearWake() {
    lock.lock();
    try {
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    Duration pause = Duration.ofSeconds(1);
    while (!closed) {
      Instant next;
      clearWake(); // a signal from now on is heard, even while this round runs
      try {
        Round round = relay.deliverDue();
        delivered.increment(round.delivered());
        gaveUp.increment(round.gaveUp());
        failures.increment(round.failedAttempts());
        if (round.gaveUp() > 0) {
          log.warn("Gave up {} webhook deliveries after 24 h of failures", round.gaveUp());
        }
        pause = Duration.ofSeconds(1);
        next = round.nextDue().orElse(null);
        Instant now = clock.instant();
        if (round.claimed() == 0 && next != null && !next.isAfter(now)) {
          // due but not claimable: another replica is claiming it right now; look again shortly
          next = now.plus(RECHECK);
        }
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("Webhook relay round failed; retrying in {} ms", pause.toMillis(), e);
        next = clock.instant().plus(pause);
        pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
      }
      if (!await(next)) {
        return;
      }
    }
  }

  /** Waits for a signal or until {@code next} (forever when null); false once closed. */
  private boolean await(Instant next) {
    lock.lock();
    try {
      while (!woken && !closed) {
        if (next == null) {
          wake.await();
        } else {
          long millis = Duration.between(clock.instant(), next).toMillis();
          if (millis <= 0) {
            break;
          }
          wake.await(millis, TimeUnit.MILLISECONDS);
        }
      }
      return !closed;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    try {
      if (listening != null) {
        listening.close();
      }
    } catch (Exception e) {
      log.debug("Closing the webhook relay's signal listener: {}", e.toString());
    }
    thread.interrupt();
    // sends in flight end now; their deliveries are retried (by a replica, or at the next start)
    pool.shutdownNow();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
