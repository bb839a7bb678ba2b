package io.jobplane.application.testing;

import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Deliveries in a list, in the order they were queued, with the store's claim rule: due pending
 * rows, oldest first, made due again only when the lease ends; results recorded only by the claim
 * that made them.
 */
public final class InMemoryWebhookOutbox implements WebhookOutbox {

  private static final class Row {
    final long seq;
    final WebhookEvent event;
    final WebhookId webhook;
    final URI url;
    final Sealed secret;
    DeliveryStatus status = DeliveryStatus.PENDING;
    int attempts;
    Integer code;
    String error;
    Instant next;
    Instant windowStart;
    Instant updated;

    Row(long seq, WebhookEvent event, WebhookId webhook, URI url, Sealed secret) {
      this.seq = seq;
      this.event = event;
      this.webhook = webhook;
      this.url = url;
      this.secret = secret;
      this.next = event.transition().at();
      this.windowStart = next;
      this.updated = next;
    }

    Logged logged() {
      return new Logged(event, new Progress(status, attempts, code, error, next, updated));
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private long lastSeq;

  /** Queues a delivery of {@code event} to the webhook, as the store's trigger does. */
  public synchronized void enqueue(WebhookId webhook, URI url, Sealed secret, WebhookEvent event) {
    rows.add(new Row(++lastSeq, event, webhook, url, secret));
  }

  @Override
  public synchronized List<Claimed> claim(Instant now, Duration lease, int limit) {
    List<Claimed> out = new ArrayList<>();
    rows.stream()
        .filter(r -> r.status == DeliveryStatus.PENDING && !r.next.isAfter(now))
        .sorted(Comparator.comparing((Row r) -> r.next).thenComparingLong(r -> r.seq))
        .limit(limit)
        .forEach(
            r -> {
              r.attempts++;
              r.next = now.plus(lease);
              r.updated = now;
              out.add(new Claimed(r.event, r.webhook, r.url, r.secret, r.attempts, r.windowStart));
            });
    return out;
  }

  @Override
  public synchronized int forgetSettled(Instant before, int limit) {
    List<Row> settled =
        rows.stream()
            .filter(r -> r.status != DeliveryStatus.PENDING && r.updated.isBefore(before))
            .limit(limit)
            .toList();
    rows.removeAll(settled);
    return settled.size();
  }

  private Optional<Row> claimedRow(UUID id, int attempts) {
    return rows.stream()
        .filter(
            r ->
                r.event.id().equals(id)
                    && r.attempts == attempts
                    && r.status == DeliveryStatus.PENDING)
        .findFirst();
  }

  @Override
  public synchronized void delivered(UUID delivery, int attempts, int responseCode, Instant now) {
    finish(delivery, attempts, DeliveryStatus.DELIVERED, responseCode, null, now);
  }

  private void finish(
      UUID delivery, int attempts, DeliveryStatus status, Integer code, String error, Instant now) {
    claimedRow(delivery, attempts)
        .ifPresent(
            r -> {
              r.status = status;
              r.code = code;
              r.error = error;
              r.updated = now;
            });
  }

  @Override
  public synchronized void retry(
      UUID delivery, int attempts, Integer responseCode, String error, Instant nextAttemptAt) {
    claimedRow(delivery, attempts)
        .ifPresent(
            r -> {
              r.code = responseCode;
              r.error = error;
              r.next = nextAttemptAt;
            });
  }

  @Override
  public synchronized void failed(
      UUID delivery, int attempts, Integer responseCode, String error, Instant now) {
    finish(delivery, attempts, DeliveryStatus.FAILED, responseCode, error, now);
  }

  @Override
  public synchronized Optional<Instant> nextDue() {
    return rows.stream()
        .filter(r -> r.status == DeliveryStatus.PENDING)
        .map(r -> r.next)
        .min(Comparator.naturalOrder());
  }

  @Override
  public synchronized LogPage log(WebhookId webhook, Long before, int limit) {
    List<Row> mine =
        rows.stream()
            .filter(r -> r.webhook.equals(webhook) && (before == null || r.seq < before))
            .sorted(Comparator.comparingLong((Row r) -> r.seq).reversed())
            .limit(limit + 1L)
            .toList();
    boolean more = mine.size() > limit;
    List<Row> page = more ? mine.subList(0, limit) : mine;
    return new LogPage(
        page.stream().map(Row::logged).toList(), more ? page.get(page.size() - 1).seq : null);
  }

  @Override
  public synchronized boolean redeliver(WebhookId webhook, UUID delivery, Instant now) {
    Optional<Row> row =
        rows.stream()
            .filter(
                r ->
                    r.webhook.equals(webhook)
                        && r.event.id().equals(delivery)
                        && r.status != DeliveryStatus.PENDING)
            .findFirst();
    row.ifPresent(
        r -> {
          r.status = DeliveryStatus.PENDING;
          r.next = now;
          r.windowStart = now;
          r.updated = now;
        });
    return row.isPresent();
  }

  @Override
  public synchronized Optional<Logged> find(WebhookId webhook, UUID delivery) {
    return rows.stream()
        .filter(r -> r.webhook.equals(webhook) && r.event.id().equals(delivery))
        .map(Row::logged)
        .findFirst();
  }
}
