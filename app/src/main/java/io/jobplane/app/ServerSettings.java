package io.jobplane.app;

import io.jobplane.adapters.rest.ApiSettings.RateLimit;
import io.jobplane.app.http.HttpSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server needs to start, already validated by the command line. Without {@code
 * restApi} the process serves only /healthz, /readyz and /metrics (the operator alone). {@code
 * http} is what the HTTP container enforces. {@code secretsKeyFile} null means the default secrets
 * key (see {@link SecretsKeys}). {@code rateLimit} is each token's request budget.
 */
public record ServerSettings(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    Path databasePasswordFile,
    int databasePoolSize,
    Path tokensFile,
    boolean metricsPublic,
    HttpSettings http,
    Duration sweepInterval,
    KubernetesSettings kubernetes,
    boolean restApi,
    Path secretsKeyFile,
    WebhookSettings webhooks,
    RateLimit rateLimit) {

  /** With the default webhook settings. */
  public ServerSettings(
      String host,
      int port,
      Path dataDir,
      String databaseUrl,
      String databaseUser,
      Path databasePasswordFile,
      int databasePoolSize,
      Path tokensFile,
      boolean metricsPublic,
      HttpSettings http,
      Duration sweepInterval,
      KubernetesSettings kubernetes,
      boolean restApi,
      Path secretsKeyFile) {
    this(
        host,
        port,
        dataDir,
        databaseUrl,
        databaseUser,
        databasePasswordFile,
        databasePoolSize,
        tokensFile,
        metricsPublic,
        http,
        sweepInterval,
        kubernetes,
        restApi,
        secretsKeyFile,
        WebhookSettings.DEFAULTS,
        RateLimit.OFF);
  }

  /** These settings, sending webhooks as {@code settings} says. */
  public ServerSettings withWebhooks(WebhookSettings settings) {
    return new ServerSettings(
        host,
        port,
        dataDir,
        databaseUrl,
        databaseUser,
        databasePasswordFile,
        databasePoolSize,
        tokensFile,
        metricsPublic,
        http,
        sweepInterval,
        kubernetes,
        restApi,
        secretsKeyFile,
        settings,
        rateLimit);
  }

  /** These settings, limiting each token's requests as {@code limit} says. */
  public ServerSettings withRateLimit(RateLimit limit) {
    return new ServerSettings(
        host,
        port,
        dataDir,
        databaseUrl,
        databaseUser,
        databasePasswordFile,
        databasePoolSize,
        tokensFile,
        metricsPublic,
        http,
        sweepInterval,
        kubernetes,
        restApi,
        secretsKeyFile,
        webhooks,
        limit);
  }

  /** The API server without Kubernetes. */
  public ServerSettings(
      String host,
      int port,
      Path dataDir,
      String databaseUrl,
      String databaseUser,
      Path databasePasswordFile,
      int databasePoolSize,
      Path tokensFile,
      boolean metricsPublic,
      HttpSettings http,
      Duration sweepInterval) {
    this(
        host,
        port,
        dataDir,
        databaseUrl,
        databaseUser,
        databasePasswordFile,
        databasePoolSize,
        tokensFile,
        metricsPublic,
        http,
        sweepInterval,
        KubernetesSettings.OFF,
        true,
        null);
  }
}
