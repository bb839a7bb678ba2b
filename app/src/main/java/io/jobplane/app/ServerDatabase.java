package io.jobplane.app;

import io.jobplane.adapters.persistence.DatabaseConfig;
import io.jobplane.adapters.persistence.EmbeddedPostgresDatabase;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.adapters.rest.metrics.MicrometerJobLifecycleMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of a server process, on the external PostgreSQL the settings name or else on an
 * embedded one under the data directory. Closing takes down the store before the database under it.
 */
final class ServerDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServerDatabase.class);

  private final ServerSettings settings;
  private EmbeddedPostgresDatabase embedded;
  private PostgresStore store;

  ServerDatabase(ServerSettings settings) {
    this.settings = settings;
  }

  /** Kept open until {@link #close()}, which also cleans up after a failed open. */
  PostgresStore open(MeterRegistry registry) throws IOException {
    store =
        PostgresStore.open(databaseConfig(), registry, new MicrometerJobLifecycleMetrics(registry));
    return store;
  }

  private DatabaseConfig databaseConfig() throws IOException {
    if (settings.databaseUrl() == null) {
      Path pgDir = settings.dataDir().resolve("postgres");
      log.info("Starting embedded PostgreSQL with data in {}", pgDir.toAbsolutePath());
      embedded = EmbeddedPostgresDatabase.start(pgDir);
      return embedded.config(settings.databasePoolSize());
    }
    String password = null;
    if (settings.databasePasswordFile() != null) {
      password = Files.readString(settings.databasePasswordFile(), StandardCharsets.UTF_8).strip();
    }
    log.info("Using external PostgreSQL as user {}", settings.databaseUser());
    return new DatabaseConfig(
        settings.databaseUrl(), settings.databaseUser(), password, settings.databasePoolSize());
  }

  @Override
  public void close() {
    if (store != null) {
      store.close();
    }
    if (embedded != null) {
      embedded.close();
    }
  }
}
