package io.jobplane.app;

import io.jobplane.adapters.rest.ApiSettings.RateLimit;
import io.jobplane.app.http.HttpSettings;
import io.jobplane.application.service.SweeperService;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the server needs to start, already validated by the command line. Without {@code
 * restApi} the process serves only /healthz, /readyz and /metrics (the operator alone). {@code
 * http} is what the HTTP container enforces. {@code secretsKeyFile} null means the default secrets
 * key (see {@link SecretsKeys}). {@code rateLimit} is each token's request budget. {@code
 * workerExpiry}: how long a worker's row outlives its last claim.
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
    RateLimit rateLimit,
    Duration workerExpiry) {

  /**
   * Settings by name, from the defaults: 127.0.0.1:8080, embedded database in {@code .jobplane},
   * the REST API on, no Kubernetes, sweeps every second, default HTTP and webhook limits, no rate
   * limit, workers forgotten 10 minutes after their last claim.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Named setters for the settings; {@link #build} checks nothing the command line did not. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private Path dataDir = Path.of(".jobplane");
    private String databaseUrl;
    private String databaseUser;
    private Path databasePasswordFile;
    private int databasePoolSize = 16;
    private Path tokensFile;
    private boolean metricsPublic;
    private HttpSettings http = HttpSettings.DEFAULTS;
    private Duration sweepInterval = Duration.ofSeconds(1);
    private KubernetesSettings kubernetes = KubernetesSettings.OFF;
    private boolean restApi = true;
    private Path secretsKeyFile;
    private WebhookSettings webhooks = WebhookSettings.DEFAULTS;
    private RateLimit rateLimit = RateLimit.OFF;
    private Duration workerExpiry = SweeperService.DEFAULT_WORKER_EXPIRY;

    private Builder() {}

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder dataDir(Path value) {
      this.dataDir = value;
      return this;
    }

    public Builder databaseUrl(String value) {
      this.databaseUrl = value;
      return this;
    }

    public Builder databaseUser(String value) {
      this.databaseUser = value;
      return this;
    }

    public Builder databasePasswordFile(Path value) {
      this.databasePasswordFile = value;
      return this;
    }

    public Builder databasePoolSize(int value) {
      this.databasePoolSize = value;
      return this;
    }

    public Builder tokensFile(Path value) {
      this.tokensFile = value;
      return this;
    }

    public Builder metricsPublic(boolean value) {
      this.metricsPublic = value;
      return this;
    }

    public Builder http(HttpSettings value) {
      this.http = value;
      return this;
    }

    public Builder sweepInterval(Duration value) {
      this.sweepInterval = value;
      return this;
    }

    public Builder kubernetes(KubernetesSettings value) {
      this.kubernetes = value;
      return this;
    }

    public Builder restApi(boolean value) {
      this.restApi = value;
      return this;
    }

    public Builder secretsKeyFile(Path value) {
      this.secretsKeyFile = value;
      return this;
    }

    public Builder webhooks(WebhookSettings value) {
      this.webhooks = value;
      return this;
    }

    public Builder rateLimit(RateLimit value) {
      this.rateLimit = value;
      return this;
    }

    /** Workers not seen claiming for this long are forgotten (their rows deleted). */
    public Builder workerExpiry(Duration value) {
      this.workerExpiry = value;
      return this;
    }

    public ServerSettings build() {
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
          rateLimit,
          workerExpiry);
    }
  }
}
