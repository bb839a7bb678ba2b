package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.application.port.out.TaskClaims.ClaimFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
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
  void thePoolsConnectionsRunWithoutJitCompilation() throws Exception {
    try (Connection c = TestDatabase.store().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW jit")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("off");
    }
  }

  @Test
  void aClaimWithoutATypeFilterReusesOneGenericPlanAndATypeFilteredClaimIsPlannedEachTime() {
    // one handle, so the claims and the look at its prepared statements share a session
    Jdbi jdbi = Jdbi.create(TestDatabase.store().dataSource());
    TaskClaims claims = new JdbiTaskClaims(jdbi);
    ClaimFilter any = new ClaimFilter(List.of("plan-cache"), null, null);
    ClaimFilter typed = new ClaimFilter(List.of("plan-cache"), List.of("etl"), null);
    List<Map<String, Object>> plans =
        jdbi.withHandle(
            h -> {
              // the JDBC driver prepares a statement on the server from its fifth execution on
              for (int i = 0; i < 10; i++) {
                assertThat(claims.claimCandidates(any, Instant.now(), 1)).isEmpty();
                assertThat(claims.claimCandidates(typed, Instant.now(), 1)).isEmpty();
              }
              return h.createQuery(
                      "SELECT statement LIKE '%j.type = ANY%' AS typed, generic_plans,"
                          + " custom_plans FROM pg_prepared_statements"
                          + " WHERE statement LIKE 'WITH RECURSIVE heads%' ORDER BY 1")
                  .mapToMap()
                  .list();
            });

    assertThat(plans).hasSize(2);
    assertThat(plans.get(0)).containsEntry("typed", false).containsEntry("custom_plans", 0L);
    assertThat((Long) plans.get(0).get("generic_plans")).isPositive();
    assertThat(plans.get(1)).containsEntry("typed", true);
    assertThat((Long) plans.get(1).get("custom_plans")).isPositive();
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
