package io.jobplane.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Fills the store with a realistic spread of jobs straight through SQL (the API would take an hour
 * for a million). The status-count trigger of the schema keeps the summary table right.
 */
final class Seeder {

  private Seeder() {}

  /** {@code Seeder JDBC_URL JOBS}: tops the store up to JOBS jobs (the schema must exist). */
  public static void main(String[] args) throws SQLException {
    long t0 = System.nanoTime();
    seed(args[0], Long.parseLong(args[1]));
    System.out.printf(
        "store holds %,d jobs (seeding took %,d s)%n",
        count(args[0]), (System.nanoTime() - t0) / 1_000_000_000L);
  }

  static long count(String jdbcUrl) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM jobs")) {
      r.next();
      return r.getLong(1);
    }
  }

  static void seed(String jdbcUrl, long target) throws SQLException {
    long have = count(jdbcUrl);
    final long batch = 100_000;
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      for (long from = have + 1; from <= target; from += batch) {
        long to = Math.min(target, from + batch - 1);
        long t0 = System.nanoTime();
        s.execute(
            "WITH g AS (SELECT n, (ARRAY['SUCCEEDED','SUCCEEDED','SUCCEEDED','SUCCEEDED','FAILED',"
                + "'RUNNING','QUEUED','STOPPED','TIMED_OUT','SUSPENDED'])[1 + n % 10] AS status,"
                + " now() - make_interval(secs => ("
                + target
                + " - n) * 5) AS created FROM generate_series("
                + from
                + ", "
                + to
                + ") AS n) "
                + "INSERT INTO jobs (id, name, search_name, type, project, labels, input,"
                + " max_attempts, priority, queue, runtime, timeout_seconds, parallelism, status,"
                + " run_id, attempt, progress, created_by, created_at, updated_at, queued_at,"
                + " started_at, finished_at, error_reason, error_message, desired_state, version) "
                + "SELECT gen_random_uuid(), 'job ' || n, 'job ' || n,"
                + " (ARRAY['etl','train','infer-batch','ingest','report'])[1 + n % 5],"
                + " 'project-' || (n % 20),"
                + " jsonb_build_object('env', (ARRAY['prod','staging','dev'])[1 + n % 3],"
                + "   'team', 'team-' || (n % 10)),"
                // no timeout: the server's sweeper would otherwise time out the RUNNING jobs
                // (started long ago) while the benchmark reads them
                + " '{\"n\":' || n || '}', 3, (n * 7) % 100, 'default', 'WORKER', NULL, 1, status,"
                + " 1, 1, CASE WHEN status = 'SUCCEEDED' THEN 100 WHEN status = 'RUNNING'"
                + "   THEN (n % 100)::smallint END,"
                + " 'seed', created, created, created,"
                + " CASE WHEN status IN ('QUEUED','SUSPENDED') THEN NULL"
                + "   ELSE created + interval '1 second' END,"
                + " CASE WHEN status IN ('SUCCEEDED','FAILED','STOPPED','TIMED_OUT')"
                + "   THEN created + interval '60 seconds' END,"
                + " CASE WHEN status = 'FAILED' THEN 'EXIT_CODE' WHEN status = 'TIMED_OUT'"
                + "   THEN 'TIMEOUT' END,"
                + " CASE WHEN status = 'FAILED' THEN 'exit code 1' WHEN status = 'TIMED_OUT'"
                + "   THEN 'job exceeded its timeout' END,"
                + " CASE WHEN status IN ('SUCCEEDED','FAILED','STOPPED','TIMED_OUT') THEN 'STOPPED'"
                + "   ELSE 'RUNNING' END, 1"
                + " FROM g");
        s.execute(
            "INSERT INTO job_events (job_id, seq, occurred_at, event_type, from_status, to_status,"
                + " source, message, run_id, attempt)"
                + " SELECT id, 1, created_at, 'SUBMITTED', NULL, 'PENDING', 'api:seed',"
                + " 'job submitted', 1, 1 FROM jobs WHERE name IN (SELECT 'job ' || n"
                + " FROM generate_series("
                + from
                + ", "
                + to
                + ") AS n)");
        System.out.printf(
            "seeded jobs %,d..%,d in %,d ms%n", from, to, (System.nanoTime() - t0) / 1_000_000);
      }
      // what autovacuum does over time: the count rows took a million updates
      s.execute("VACUUM FULL ANALYZE job_status_counts");
      s.execute("VACUUM ANALYZE jobs");
      s.execute("VACUUM ANALYZE job_events");
    }
  }
}
