package io.jobplane.application.service;

import io.jobplane.application.port.in.DeliverWebhooksUseCase;
import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.port.out.WebhookOutbox.Claimed;
import io.jobplane.application.port.out.WebhookSender;
import io.jobplane.application.port.out.WebhookSender.Outcome;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.domain.webhook.DeliveryBackoff;
import io.jobplane.domain.webhook.WebhookId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * Sends due deliveries outside any job transaction: a claim (one short statement) takes a batch,
 * the sends run on the relay's own bounded pool, and each outcome is one short statement. A slow or
 * dead receiver therefore holds a pool thread for at most the send timeout and never a lock that a
 * job transition waits for.
 *
 * <p>Order: the deliveries of one webhook in a batch are sent one after the other, oldest first, so
 * a receiver sees a job's events in order unless a retry or another replica reorders them; each
 * event carries its time for receivers that must be sure.
 */
public final class WebhookRelayService implements DeliverWebhooksUseCase {

  /** How many deliveries a round claims, how many sends run at once, how long a claim holds. */
  public record Limits(int batch, int concurrency, Duration lease) {
    public Limits {
      if (batch < 1 || concurrency < 1) {
        throw new IllegalArgumentException("batch and concurrency must be at least 1");
      }
      Objects.requireNonNull(lease, "lease");
    }

    /** Claims outlive the slowest send ({@code timeout}) with room to record its outcome. */
    public static Limits forTimeout(Duration timeout, int concurrency) {
      return new Limits(concurrency * 4, concurrency, timeout.multipliedBy(2).plusSeconds(5));
    }
  }

  private static final int MAX_ERROR_LENGTH = 500;
  static final int FORGET_BATCH = 1000;

  private final WebhookOutbox outbox;
  private final WebhookSender sender;
  private final SecretCipher cipher;
  private final DeliveryBackoff backoff;
  private final DoubleSupplier jitter;
  private final Clock clock;
  private final Limits limits;
  private final ExecutorService pool;

  public WebhookRelayService(
      WebhookOutbox outbox,
      WebhookSender sender,
      SecretCipher cipher,
      DeliveryBackoff backoff,
      DoubleSupplier jitter,
      Clock clock,
      Limits limits,
      ExecutorService pool) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.jitter = Objects.requireNonNull(jitter, "jitter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public Round deliverDue() {
    List<Claimed> claimed = outbox.claim(Clocks.now(clock), limits.lease(), limits.batch());
    Map<WebhookId, List<Claimed>> byWebhook = new LinkedHashMap<>();
    claimed.forEach(c -> byWebhook.computeIfAbsent(c.webhook(), k -> new ArrayList<>()).add(c));
    AtomicInteger delivered = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger gaveUp = new AtomicInteger();
    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (List<Claimed> inOrder : byWebhook.values()) {
      sends.add(
          CompletableFuture.runAsync(
              () -> inOrder.forEach(c -> attempt(c, delivered, failed, gaveUp)), pool));
    }
    CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).join();
    Optional<Instant> next = outbox.nextDue();
    return new Round(claimed.size(), delivered.get(), failed.get(), gaveUp.get(), next);
  }

  @Override
  public int forgetSettled(Duration retention) {
    Instant before = Clocks.now(clock).minus(retention);
    int total = 0;
    int forgotten;
    // in batches: one short statement each, never a long lock on a big log
    do {
      forgotten = outbox.forgetSettled(before, FORGET_BATCH);
      total += forgotten;
    } while (forgotten == FORGET_BATCH);
    return total;
  }

  private void attempt(
      Claimed c, AtomicInteger delivered, AtomicInteger failed, AtomicInteger gaveUp) {
    String secret;
    Outcome outcome;
    try {
      secret = cipher.open(c.secret(), WebhooksService.aad(c.event().job().project(), c.webhook()));
      outcome = sender.send(c.url(), c.event(), secret);
    } catch (SecretCipher.UnreadableSecret e) {
      secret = null;
      outcome = Outcome.unanswered("the signing secret cannot be opened with this server's key");
    } catch (RuntimeException e) {
      secret = null;
      outcome = Outcome.unanswered("sending failed: " + e.getClass().getSimpleName());
    }
    Instant now = Clocks.now(clock);
    if (outcome.delivered()) {
      outbox.delivered(c.event().id(), c.attempts(), outcome.statusCode(), now);
      delivered.incrementAndGet();
      return;
    }
    failed.incrementAndGet();
    String error = scrub(outcome.error(), secret);
    Optional<Instant> next = backoff.next(c.attempts(), now, c.windowStart(), jitter.getAsDouble());
    if (next.isPresent()) {
      outbox.retry(c.event().id(), c.attempts(), outcome.statusCode(), error, next.get());
    } else {
      outbox.failed(c.event().id(), c.attempts(), outcome.statusCode(), error, now);
      gaveUp.incrementAndGet();
    }
  }

  /**
   * An error as the log keeps it: bounded, and never with the secret in it, whatever a library's
   * message may have quoted.
   */
  static String scrub(String error, String secret) {
    String e = error == null ? "failed" : error;
    if (secret != null && !secret.isEmpty()) {
      e = e.replace(secret, "[secret]");
    }
    return e.length() > MAX_ERROR_LENGTH ? e.substring(0, MAX_ERROR_LENGTH) : e;
  }
}
