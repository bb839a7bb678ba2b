package io.jobplane.app;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The serve command's webhook options. */
final class WebhookOptions {

  @Option(
      names = "--webhook-retry-base-ms",
      defaultValue = "10000",
      description =
          "Delay before a failed webhook delivery's first retry; each later one doubles, up to"
              + " 1 h, with jitter, for 24 h (default: ${DEFAULT-VALUE}).")
  long retryBaseMs;

  @Option(
      names = "--webhook-timeout-ms",
      defaultValue = "10000",
      description = "How long one webhook request may take (default: ${DEFAULT-VALUE}).")
  long timeoutMs;

  @Option(
      names = "--webhook-concurrency",
      defaultValue = "8",
      description = "Webhook requests sent at once by this server (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--webhook-deny-private-addresses",
      description =
          "Refuse webhook URLs whose host resolves to a loopback, private, link-local or other"
              + " local address (recommended when untrusted users create webhooks).")
  boolean denyPrivateAddresses;

  @Option(
      names = "--webhook-log-retention-hours",
      defaultValue = "168",
      description =
          "How long a delivered or failed webhook delivery stays in the delivery log; pending ones"
              + " stay until settled (default: ${DEFAULT-VALUE}, a week).")
  long logRetentionHours;

  WebhookSettings settings() {
    if (retryBaseMs < 1 || retryBaseMs > 3_600_000) {
      throw new IllegalArgumentException("--webhook-retry-base-ms must be between 1 and 3600000");
    }
    if (timeoutMs < 100 || timeoutMs > 300_000) {
      throw new IllegalArgumentException("--webhook-timeout-ms must be between 100 and 300000");
    }
    if (logRetentionHours < 1 || logRetentionHours > 87_600) {
      throw new IllegalArgumentException(
          "--webhook-log-retention-hours must be between 1 and 87600");
    }
    return new WebhookSettings(
        Duration.ofMillis(retryBaseMs),
        Duration.ofMillis(timeoutMs),
        concurrency,
        denyPrivateAddresses,
        Duration.ofHours(logRetentionHours));
  }
}
