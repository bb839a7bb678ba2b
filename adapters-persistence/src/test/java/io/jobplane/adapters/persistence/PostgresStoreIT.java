package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class PostgresStoreIT {

  @Test
  void openingAgainstAnAlreadyMigratedDatabaseKeepsItsDataAndRegistersPoolMetrics() {
    PostgresStore shared = TestDatabase.store();
    TestDatabase.reset();
    var stored = shared.jobRepository().insert(TestJobs.job().restored());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    try (PostgresStore second = PostgresStore.open(TestDatabase.config(), registry)) {
      assertThat(second.jobRepository().findById(stored.id())).contains(stored);
      assertThat(second.health().isReachable()).isTrue();
      assertThat(
              registry
                  .find("hikaricp.connections.max")
                  .tag("pool", PostgresStore.POOL_NAME)
                  .gauge())
          .isNotNull();
    }
  }

  @Test
  void theSchemaHasTheMigrationsAppliedInOrder() throws Exception {
    try (Connection c = TestDatabase.store().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
      java.util.List<Integer> versions = new java.util.ArrayList<>();
      while (rs.next()) {
        versions.add(Integer.parseInt(rs.getString(1)));
      }
      // V3: task leases, V4: telemetry, V5: workers; later versions may follow
      assertThat(versions).startsWith(1, 2, 3, 4, 5, 6).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void aClosedStoreIsNotReachable() {
    PostgresStore store = PostgresStore.open(TestDatabase.config(), null);
    assertThat(store.health().isReachable()).isTrue();

    store.close();

    assertThat(store.health().isReachable()).isFalse();
  }

  @Test
  void anUnreachableServerIsReportedWithinTheTimeout() {
    PGSimpleDataSource nowhere = new PGSimpleDataSource();
    nowhere.setURL("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=10");
    try (PostgresStoreHealth health = new PostgresStoreHealth(nowhere, Duration.ofMillis(500))) {
      long start = System.nanoTime();

      assertThat(health.isReachable()).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }
}
