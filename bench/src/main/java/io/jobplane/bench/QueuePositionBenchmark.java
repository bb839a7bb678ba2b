package io.jobplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.adapters.persistence.JdbiQueuePosition;
import io.jobplane.domain.QueueWait;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 10: {@code GET /api/v1/jobs/{id}} of a queued job in a queue of a million, where the
 * answer's {@code waiting.position} needs the count of claimable tasks ahead (capped at {@link
 * QueueWait#POSITION_CAP}). Measures the last job of the queue (the count hits the cap), the job at
 * position 1,000 (the largest exact count) and the first job, sequentially from a client on the
 * same machine, then EXPLAIN ANALYZEs the count statement itself. Prints Markdown for
 * docs/benchmarks.md.
 */
@Command(name = "queue-position-benchmark", mixinStandardHelpOptions = true)
public final class QueuePositionBenchmark implements Callable<Integer> {

  @Mixin ServerUnderTest server;

  @Option(names = "--jdbc-url", required = true, description = "Same database the server uses.")
  String jdbcUrl;

  @Option(names = "--jobs", defaultValue = "1000000", description = "QUEUED jobs in the queue.")
  long jobs;

  @Option(names = "--queue", defaultValue = "position-bench")
  String queue;

  @Option(names = "--samples", defaultValue = "200")
  int samples;

  @Option(names = "--warmup", defaultValue = "500", description = "Rounds over all probes.")
  int warmup;

  private BenchApi api;

  public static void main(String[] args) {
    System.exit(new CommandLine(new QueuePositionBenchmark()).execute(args));
  }

  /** One probed job: where it stands in claim order and what the API must answer for it. */
  private record Probe(String name, UUID id, long position, boolean lowerBound) {}

  @Override
  public Integer call() throws Exception {
    api = server.api();
    long t0 = System.nanoTime();
    seed();
    long queued = claimable();
    System.out.printf(
        "queue '%s' holds %,d claimable tasks (seeding took %,d s)%n",
        queue, queued, (System.nanoTime() - t0) / 1_000_000_000L);

    List<Probe> probes =
        List.of(
            new Probe(
                "last job in the queue",
                jobAt("priority, job_created_at DESC, job_id DESC", 0),
                QueueWait.POSITION_CAP,
                true),
            new Probe(
                "job at position 1,000 (largest exact count)",
                jobAt("priority DESC, job_created_at, job_id", QueueWait.POSITION_CAP - 1),
                QueueWait.POSITION_CAP,
                false),
            new Probe(
                "first job in the queue",
                jobAt("priority DESC, job_created_at, job_id", 0),
                1,
                false),
            new Probe("a SUCCEEDED job (reference: no waiting)", finishedJob(), 0, false));

    // warm up the JIT, the connection pools and PostgreSQL's buffers; check every answer
    for (int i = 0; i < warmup; i++) {
      for (Probe p : probes) {
        check(p, api.get("/api/v1/jobs/" + p.id()));
      }
    }

    // the probes take turns, so a neighbour's burst of load hits all of them alike
    double[][] ms = measure(probes);
    List<String> rows = new ArrayList<>();
    for (int k = 0; k < probes.size(); k++) {
      Probe p = probes.get(k);
      rows.add(
          String.format(
              "| GET /api/v1/jobs/{id}, %s | %s | %.2f | %.2f | %.2f | %.2f |",
              p.name(),
              p.position() == 0
                  ? "-"
                  : String.format("%,d", p.position()) + (p.lowerBound() ? " (lower bound)" : ""),
              BenchApi.pct(ms[k], 50),
              BenchApi.pct(ms[k], 95),
              BenchApi.pct(ms[k], 99),
              ms[k][samples - 1]));
    }
    double lastMedian = BenchApi.pct(ms[0], 50);
    System.out.println();
    System.out.printf(
        "| request (%,d QUEUED jobs in one queue, %d sequential samples each, interleaved)"
            + " | position | p50 ms | p95 ms | p99 ms | max ms |%n",
        queued, samples);
    System.out.println("|---|---|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.printf(
        "GET of the last job: median %.2f ms (issue 10 target ≤ 5 ms: %s)%n",
        lastMedian, lastMedian <= 5 ? "met" : "missed");

    for (Probe p : probes.subList(0, 2)) {
      explain(p);
    }
    return 0;
  }

  /**
   * A million QUEUED jobs of one task each in {@link #queue}, priorities 0..3 (job n has n % 4),
   * created 10 ms apart, every task claimable now. One INSERT ... SELECT generate_series per table
   * with the per-row triggers off (session_replication_role = replica, so superuser): the status
   * counts and V8's job_claimable are written in bulk instead, as the triggers would have.
   */
  private void seed() throws SQLException {
    if (claimable() >= jobs) {
      return;
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      // a half-seeded queue from an interrupted run goes first (the FK cascade needs triggers on)
      s.execute("DELETE FROM jobs WHERE queue = " + literal(queue));
      s.execute("SET session_replication_role = replica");
      long t = System.nanoTime();
      s.execute(
          "INSERT INTO jobs (id, name, search_name, type, project, input, max_attempts,"
              + " priority, queue, runtime, parallelism, status, run_id, attempt, created_by,"
              + " created_at, updated_at, queued_at, desired_state, version)"
              + " SELECT gen_random_uuid(), 'queued ' || n, 'queued ' || n, 'etl', 'bench',"
              + " '{\"n\":' || n || '}', 3, n % 4, "
              + literal(queue)
              + ", 'WORKER', 1, 'QUEUED', 1, 1, 'seed', c.t, c.t, c.t, 'RUNNING', 1"
              + " FROM generate_series(1, "
              + jobs
              + ") AS n,"
              + " LATERAL (SELECT now() - interval '1 day' + make_interval(secs => n / 100.0)"
              + " AS t) c");
      System.out.printf("seeded %,d jobs in %,d ms%n", jobs, (System.nanoTime() - t) / 1_000_000);
      t = System.nanoTime();
      s.execute(
          "INSERT INTO job_tasks (job_id, run_id, task_index, queue, priority, job_created_at,"
              + " status, attempt, epoch, available_at, job_claimable)"
              + " SELECT id, 1, 0, queue, priority, created_at, 'QUEUED', 1, 0, created_at, true"
              + " FROM jobs WHERE queue = "
              + literal(queue));
      System.out.printf("seeded their tasks in %,d ms%n", (System.nanoTime() - t) / 1_000_000);
      s.execute("SET session_replication_role = origin");
      s.execute(
          "INSERT INTO job_status_counts AS c (project, type, status, count)"
              + " SELECT project, type, status, count(*) FROM jobs WHERE queue = "
              + literal(queue)
              + " GROUP BY 1, 2, 3"
              + " ON CONFLICT (project, type, status, slot)"
              + " DO UPDATE SET count = c.count + EXCLUDED.count");
      // what autovacuum does to a settled table: statistics, and the visibility map that lets the
      // position count skip the heap
      s.execute("VACUUM ANALYZE jobs");
      s.execute("VACUUM ANALYZE job_tasks");
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private long claimable() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM job_tasks"
                    + " WHERE queue = ? AND status = 'QUEUED' AND job_claimable")) {
      s.setString(1, queue);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }

  /** The job whose task is {@code offset} rows into the queue in the given order. */
  private UUID jobAt(String order, long offset) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT job_id FROM job_tasks WHERE queue = ? AND status = 'QUEUED'"
                    + " AND job_claimable ORDER BY "
                    + order
                    + " OFFSET ? LIMIT 1")) {
      s.setString(1, queue);
      s.setLong(2, offset);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getObject(1, UUID.class);
      }
    }
  }

  /** One SUCCEEDED job in another queue (inserted once), for GET without a position to count. */
  private UUID finishedJob() throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO jobs (id, name, search_name, type, project, input, max_attempts, priority,"
              + " queue, runtime, parallelism, status, run_id, attempt, progress, created_by,"
              + " created_at, updated_at, queued_at, started_at, finished_at, desired_state,"
              + " version)"
              + " SELECT gen_random_uuid(), 'finished', 'finished', 'etl', 'bench', '{}', 3, 0,"
              + " 'position-bench-reference', 'WORKER', 1, 'SUCCEEDED', 1, 1, 100, 'seed',"
              + " now(), now(), now(), now(), now(), 'STOPPED', 1"
              + " WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE queue = 'position-bench-reference')");
      try (ResultSet r =
          s.executeQuery("SELECT id FROM jobs WHERE queue = 'position-bench-reference'")) {
        r.next();
        return r.getObject(1, UUID.class);
      }
    }
  }

  private void check(Probe p, JsonNode job) {
    if (p.position() == 0) {
      if (job.has("waiting")) {
        throw new IllegalStateException(p.name() + ": unexpected waiting " + job);
      }
      return;
    }
    JsonNode waiting = job.path("waiting");
    if (waiting.path("position").asLong() != p.position()
        || waiting.path("position_is_lower_bound").asBoolean() != p.lowerBound()) {
      throw new IllegalStateException(p.name() + ": unexpected waiting " + waiting);
    }
  }

  /** Per probe, sorted: the latency of each of its {@link #samples} requests. */
  private double[][] measure(List<Probe> probes) throws Exception {
    double[][] ms = new double[probes.size()][samples];
    for (int i = 0; i < samples; i++) {
      for (int k = 0; k < probes.size(); k++) {
        String path = "/api/v1/jobs/" + probes.get(k).id();
        long t = System.nanoTime();
        api.get(path);
        ms[k][i] = (System.nanoTime() - t) / 1e6;
      }
    }
    for (double[] row : ms) {
      Arrays.sort(row);
    }
    return ms;
  }

  /**
   * The count statement the server runs: EXPLAIN ANALYZE (median of 11 runs, and the last plan),
   * and the statement itself run {@link #samples} times on one connection as the server runs it
   * (prepared, so planned once), timed from the client.
   */
  private void explain(Probe p) {
    Jdbi jdbi = Jdbi.create(jdbcUrl);
    double[] execution = new double[11];
    List<String> plan = List.of();
    for (int i = 0; i < execution.length; i++) {
      plan =
          jdbi.withHandle(
              h ->
                  h.createQuery("EXPLAIN (ANALYZE, BUFFERS) " + JdbiQueuePosition.TASKS_AHEAD)
                      .bind("job_id", p.id())
                      .bind("run_id", 1)
                      .bind("now", OffsetDateTime.now(ZoneOffset.UTC))
                      .bind("cap", QueueWait.POSITION_CAP)
                      .mapTo(String.class)
                      .list());
      execution[i] = planTime(plan, "Execution Time: ");
    }
    Arrays.sort(execution);
    double[] direct =
        jdbi.withHandle(
            h -> {
              double[] ms = new double[samples];
              for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                h.createQuery(JdbiQueuePosition.TASKS_AHEAD)
                    .bind("job_id", p.id())
                    .bind("run_id", 1)
                    .bind("now", OffsetDateTime.now(ZoneOffset.UTC))
                    .bind("cap", QueueWait.POSITION_CAP)
                    .mapTo(Long.class)
                    .one();
                ms[i] = (System.nanoTime() - t) / 1e6;
              }
              Arrays.sort(ms);
              return ms;
            });
    System.out.println();
    System.out.printf(
        "count of tasks ahead, %s: EXPLAIN ANALYZE execution median %.3f ms, max %.3f ms (11"
            + " runs; planning %.3f ms in the last); the statement itself from JDBC median %.3f"
            + " ms, p99 %.3f ms (%d runs)%n",
        p.name(),
        BenchApi.pct(execution, 50),
        execution[execution.length - 1],
        planTime(plan, "Planning Time: "),
        BenchApi.pct(direct, 50),
        BenchApi.pct(direct, 99),
        samples);
    System.out.println("```text");
    plan.forEach(System.out::println);
    System.out.println("```");
  }

  private static double planTime(List<String> plan, String label) {
    return plan.stream()
        .filter(l -> l.startsWith(label))
        .map(l -> Double.parseDouble(l.substring(label.length()).replace(" ms", "").strip()))
        .findFirst()
        .orElse(Double.NaN);
  }
}
