package io.jobplane.adapters.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The PostgreSQL the integration tests of one JVM share, chosen once:
 *
 * <ul>
 *   <li>env JOBPLANE_TEST_DATABASE_URL set: that server, in a schema created for this run (and
 *       dropped at exit), so nobody else's tables are touched;
 *   <li>system property jobplane.test.db=testcontainers: a Testcontainers PostgreSQL, when a Docker
 *       engine exists (otherwise the tests are skipped by assumption);
 *   <li>otherwise an embedded PostgreSQL in a temporary directory.
 * </ul>
 */
final class TestDatabase {

  static final String URL_ENV = "JOBPLANE_TEST_DATABASE_URL";
  static final String MODE_PROPERTY = "jobplane.test.db";

  private static DatabaseConfig config;
  private static PostgresStore store;
  private static String description;
  private static String unavailable;

  private TestDatabase() {}

  static synchronized DatabaseConfig config() {
    Assumptions.assumeTrue(unavailable == null, unavailable);
    if (config == null) {
      String url = System.getenv(URL_ENV);
      if (url != null && !url.isBlank()) {
        config = external(url);
      } else if ("testcontainers".equals(System.getProperty(MODE_PROPERTY))) {
        config = testcontainers();
      } else {
        config = embedded();
      }
    }
    return config;
  }

  /** The store all tests share (migrated once). */
  static synchronized PostgresStore store() {
    if (store == null) {
      store = PostgresStore.open(config(), null);
      Runtime.getRuntime().addShutdownHook(new Thread(store::close, "test-store-close"));
    }
    return store;
  }

  static String description() {
    config();
    return description;
  }

  /** Empties every table of the store. */
  static void reset() {
    try (Connection c = store().dataSource().getConnection();
        Statement s = c.createStatement()) {
      // CASCADE: every table that references jobs (telemetry, tasks) goes too
      s.execute(
          "TRUNCATE jobs, job_events, idempotency_keys, job_status_counts, workers, job_graphs,"
              + " workload_intents, project_limits"
              + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row the query returns, read as numbers. */
  static List<Long> longs(String sql) {
    List<Long> values = new ArrayList<>();
    try (Connection c = store().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return values;
  }

  private static DatabaseConfig external(String url) {
    String schema = "jobplane_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot use " + URL_ENV + "=" + url, e);
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (store != null) {
                    store.close();
                  }
                  try (Connection c = DriverManager.getConnection(url);
                      Statement s = c.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                  } catch (SQLException e) {
                    System.err.println("could not drop test schema " + schema + ": " + e);
                  }
                },
                "test-schema-drop"));
    description = "external PostgreSQL, schema " + schema;
    String separator = url.contains("?") ? "&" : "?";
    return new DatabaseConfig(url + separator + "currentSchema=" + schema, null, null, 16);
  }

  private static DatabaseConfig testcontainers() {
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    if (!docker) {
      unavailable =
          MODE_PROPERTY
              + "=testcontainers was requested but no Docker engine is available; skipping";
      Assumptions.abort(unavailable);
    }
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "test-container-stop"));
    description = "Testcontainers " + container.getDockerImageName();
    return new DatabaseConfig(
        container.getJdbcUrl(), container.getUsername(), container.getPassword(), 16);
  }

  private static DatabaseConfig embedded() {
    try {
      Path dir = Files.createTempDirectory("jobplane-it-pg");
      EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(dir.resolve("data"));
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    if (store != null) {
                      store.close();
                    }
                    db.close();
                    deleteRecursively(dir);
                  },
                  "test-embedded-stop"));
      description = "embedded PostgreSQL on port " + db.port();
      return db.config(16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
