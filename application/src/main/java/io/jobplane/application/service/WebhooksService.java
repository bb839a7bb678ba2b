package io.jobplane.application.service;

import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WebhookOutbox;
import io.jobplane.application.port.out.WebhookOutbox.LogPage;
import io.jobplane.application.port.out.WebhookOutbox.Logged;
import io.jobplane.application.port.out.Webhooks;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Seals each signing secret with the server key before the store sees it (bound to the project and
 * the webhook's id, so a sealed secret copied onto another webhook does not open). The project is
 * checked before anything else: one the caller cannot see looks exactly like a missing webhook.
 */
public final class WebhooksService implements ManageWebhooksUseCase {

  private final Webhooks webhooks;
  private final WebhookOutbox outbox;
  private final SecretCipher cipher;
  private final TransactionRunner tx;
  private final Clock clock;

  public WebhooksService(
      Webhooks webhooks,
      WebhookOutbox outbox,
      SecretCipher cipher,
      TransactionRunner tx,
      Clock clock) {
    this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a webhook's secret is bound to when sealed; the relay opens it with the same. */
  public static byte[] aad(String project, WebhookId id) {
    return SecretCipher.aad(project, "webhook:" + id, "secret");
  }

  @Override
  public Webhook create(Target target, Supplier<WebhookSpec> read) {
    allowed(target);
    WebhookSpec spec = read.get();
    if (spec.secret() == null) {
      throw DomainException.invalid("secret", "is required");
    }
    Instant now = Clocks.now(clock);
    String by = target.caller().name();
    Webhook webhook =
        new Webhook(WebhookId.random(), target.project(), spec.url(), spec.filter(), now, now, by);
    Sealed sealed = cipher.seal(spec.secret(), aad(target.project(), webhook.id()));
    return tx.inTransaction(
        () -> {
          if (webhooks.count(target.project()) >= MAX_WEBHOOKS_PER_PROJECT) {
            throw new DomainException(
                DomainException.Reason.CONFLICT,
                "project '"
                    + target.project()
                    + "' has "
                    + MAX_WEBHOOKS_PER_PROJECT
                    + " webhooks, the most it may; delete one first");
          }
          webhooks.insert(webhook, sealed);
          return webhook;
        });
  }

  @Override
  public List<Webhook> list(Target target) {
    allowed(target);
    return tx.inTransaction(() -> webhooks.list(target.project(), MAX_WEBHOOKS_PER_PROJECT));
  }

  @Override
  public Webhook get(Target target) {
    return tx.inTransaction(() -> existing(target));
  }

  @Override
  public Webhook update(Target target, Supplier<WebhookSpec> read) {
    WebhookId id = idOf(target);
    WebhookSpec spec = read.get();
    Sealed sealed =
        spec.secret() == null ? null : cipher.seal(spec.secret(), aad(target.project(), id));
    return tx.inTransaction(
        () -> {
          Webhook changed =
              existing(target)
                  .changed(spec.url(), spec.filter(), target.caller().name(), Clocks.now(clock));
          if (!webhooks.update(changed, sealed)) {
            throw notFound();
          }
          return changed;
        });
  }

  @Override
  public void delete(Target target) {
    WebhookId id = idOf(target);
    if (!tx.inTransaction(() -> webhooks.delete(target.project(), id))) {
      throw notFound();
    }
  }

  @Override
  public LogPage deliveries(Target target, Long before, int limit) {
    if (limit < 1 || limit > MAX_LOG_PAGE) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_LOG_PAGE);
    }
    return tx.inTransaction(() -> outbox.log(existing(target).id(), before, limit));
  }

  @Override
  public Logged redeliver(Target target, UUID delivery) {
    return tx.inTransaction(
        () -> {
          WebhookId id = existing(target).id();
          Logged logged =
              outbox
                  .find(id, delivery)
                  .orElseThrow(() -> DomainException.notFound("delivery not found"));
          if (logged.progress().status() == DeliveryStatus.PENDING
              || !outbox.redeliver(id, delivery, Clocks.now(clock))) {
            throw DomainException.conflict(
                "the delivery is pending already: it is sent at its next attempt");
          }
          return outbox.find(id, delivery).orElseThrow();
        });
  }

  private Webhook existing(Target target) {
    WebhookId id = idOf(target);
    return webhooks.find(target.project(), id).orElseThrow(WebhooksService::notFound);
  }

  private static WebhookId idOf(Target target) {
    allowed(target);
    return Objects.requireNonNull(target.webhook(), "webhook");
  }

  /**
   * Visibility first (an invisible project answers 404 like a missing webhook, whatever the rest of
   * the request), then the right to submit there: webhooks reveal where a project's events go.
   */
  private static void allowed(Target target) {
    if (!target.caller().sees(target.project()) || target.caller().run() != null) {
      throw notFound();
    }
    AccessPolicy.requireSubmitTo(target.caller(), target.project());
  }

  private static DomainException notFound() {
    return DomainException.notFound("webhook not found");
  }
}
