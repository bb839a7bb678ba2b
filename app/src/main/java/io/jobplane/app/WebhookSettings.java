package io.jobplane.app;

import io.jobplane.domain.webhook.DeliveryBackoff;
import java.time.Duration;
import java.util.Objects;

/**
 * How the server sends webhooks: the first retry's delay (doubling from there, see {@link
 * DeliveryBackoff}), how long one send may take, how many sends run at once, and whether hosts that
 * resolve to local or private addresses are refused (against server-side request forgery), and how
 * long the delivery log keeps a delivered or failed delivery.
 */
public record WebhookSettings(
    Duration retryBase,
    Duration timeout,
    int concurrency,
    boolean denyPrivateAddresses,
    Duration logRetention) {

  public static final Duration DEFAULT_LOG_RETENTION = Duration.ofDays(7);

  public static final WebhookSettings DEFAULTS =
      new WebhookSettings(
          DeliveryBackoff.DEFAULT_BASE, Duration.ofSeconds(10), 8, false, DEFAULT_LOG_RETENTION);

  public WebhookSettings {
    Objects.requireNonNull(retryBase, "retryBase");
    Objects.requireNonNull(timeout, "timeout");
    if (retryBase.isNegative() || retryBase.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("webhook delays must be positive");
    }
    Objects.requireNonNull(logRetention, "logRetention");
    if (logRetention.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("the webhook log's retention must be at least 1 hour");
    }
    if (concurrency < 1 || concurrency > 256) {
      throw new IllegalArgumentException("--webhook-concurrency must be between 1 and 256");
    }
  }
}
