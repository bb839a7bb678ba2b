package io.jobplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Worker protocol throughput and latency (issues 6 and 11).
 *
 * <ul>
 *   <li>Throughput: N protocol clients (threads, each its own worker id) drain a queue, either one
 *       task at a time (claim {@code max_tasks} 1, then the single-lease complete call) or batched
 *       (claim {@code max_tasks} 10, then one {@code POST /api/v1/leases/reports} completing all of
 *       them). After each round db-scheduler runs as many tasks with N threads on the same
 *       PostgreSQL ({@link DbSchedulerReference}). The server is warmed first with the same work,
 *       untimed, so that the rounds measure the request path and not the JIT.
 *   <li>Enqueue-to-start: bundled {@code jobplane worker} processes at their default settings
 *       (long-polling) wait on an empty queue; jobs are submitted one at a time and each job's
 *       {@code queue_time_ms} (started − queued) is read back. Then, with the workers idle, how
 *       many claim requests and database statements the server saw in a quiet window.
 * </ul>
 */
@Command(name = "worker-benchmark", mixinStandardHelpOptions = true)
public final class WorkerBenchmark implements Callable<Integer> {

  private static final int BATCH = 10;

  @Mixin ServerUnderTest server;

  @Option(names = "--jobs", defaultValue = "2000")
  int jobs;

  @Option(names = "--warmup-jobs", defaultValue = "8000", description = "Untimed, per mode.")
  int warmupJobs;

  @Option(names = "--latency-jobs", defaultValue = "200")
  int latencyJobs;

  @Option(names = "--latency-gap-ms", defaultValue = "100")
  long latencyGapMs;

  @Option(names = "--idle-seconds", defaultValue = "20")
  int idleSeconds;

  @Option(
      names = "--database-jdbc-url",
      description =
          "The server's database: after each batch of submits the benchmark runs ANALYZE on it,"
              + " what autovacuum does on a PostgreSQL that runs it (the local one may not).")
  String databaseJdbcUrl;

  @Option(
      names = "--latency-only",
      description = "Only enqueue-to-start and the idle window, without the throughput rounds.")
  boolean latencyOnly;

  @Option(
      names = "--worker-jar",
      description = "The jobplane jar: enqueue-to-start uses its `worker` command.")
  Path workerJar;

  @Option(
      names = "--ours-jobs",
      defaultValue = "0",
      description =
          "At the end, submit this many jobs to queue pgbench-ours for bench/wrk/claim-complete.sql.")
  int oursJobs;

  @Option(
      names = "--figures-file",
      description = "Where to write the 16-worker one-task-a-call jobs/s (for the pgbench ratio).")
  Path figuresFile;

  @Option(
      names = "--reference-jdbc-url",
      required = true,
      description = "Where db-scheduler runs the same number of tasks: the server's PostgreSQL.")
  String referenceJdbcUrl;

  private BenchApi api;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    api = server.api();
    if (latencyOnly) {
      if (workerJar == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--latency-only needs --worker-jar");
      }
      latency();
      return 0;
    }
    for (boolean batched : new boolean[] {false, true}) {
      String queue = "warmup-" + batched + "-" + System.nanoTime();
      submit(queue, warmupJobs);
      drain(queue, 16, warmupJobs, batched);
    }
    System.out.println(
        "| workers = threads | mode | jobs | Jobplane s | Jobplane claim+complete jobs/s (HTTP)"
            + " | db-scheduler fetch-and-lock-on-execute tasks/s"
            + " | db-scheduler lock-and-fetch tasks/s | ratio to the faster | target |");
    System.out.println("|---:|---|---:|---:|---:|---:|---:|---:|---|");
    for (int workers : new int[] {1, 4, 16}) {
      double jobplaneSingle = round(workers, false);
      double jobplaneBatched = round(workers, true);
      // measured right after Jobplane's rounds, with the server idle, so both see the same machine
      double fetch =
          DbSchedulerReference.tasksPerSecond(
              referenceJdbcUrl,
              DbSchedulerReference.Strategy.FETCH_AND_LOCK_ON_EXECUTE,
              workers,
              jobs);
      double lock =
          DbSchedulerReference.tasksPerSecond(
              referenceJdbcUrl, DbSchedulerReference.Strategy.LOCK_AND_FETCH, workers, jobs);
      double reference = Math.max(fetch, lock);
      if (workers == 16 && figuresFile != null) {
        Files.writeString(figuresFile, String.format("%.1f%n", jobplaneSingle));
      }
      row(workers, "one task a call", jobplaneSingle, fetch, lock, reference, 0.5);
      row(workers, "batches of " + BATCH, jobplaneBatched, fetch, lock, reference, 1.0);
    }
    System.out.println();
    if (workerJar != null) {
      latency();
    }
    if (oursJobs > 0) {
      submit("pgbench-ours", oursJobs);
    }
    return 0;
  }

  private double round(int workers, boolean batched) throws Exception {
    String queue = "bench-" + workers + "-" + batched + "-" + System.nanoTime();
    submit(queue, jobs);
    long t0 = System.nanoTime();
    int done = drain(queue, workers, jobs, batched);
    return done / ((System.nanoTime() - t0) / 1e9);
  }

  private static void row(
      int workers,
      String mode,
      double jobplane,
      double fetch,
      double lock,
      double reference,
      double target) {
    double ratio = jobplane / reference;
    System.out.printf(
        "| %d | %s | - | - | %.0f | %.0f | %.0f | %.2f | ≥ %.2f: %s |%n",
        workers, mode, jobplane, fetch, lock, ratio, target, ratio >= target ? "met" : "missed");
  }

  private void submit(String queue, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(
          pool.submit(
              () ->
                  api.post(
                      "/api/v1/jobs",
                      "{\"name\":\"bench\",\"type\":\"bench\",\"queue\":\"" + queue + "\"}")));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    analyze();
  }

  /**
   * Fresh statistics for the tables a claim reads. Without any (a database where autovacuum is off
   * and nothing ran ANALYZE), PostgreSQL estimates one row per queue and may walk a whole queue's
   * backlog for each claim.
   */
  private void analyze() throws SQLException {
    if (databaseJdbcUrl == null) {
      return;
    }
    try (Connection c = DriverManager.getConnection(databaseJdbcUrl);
        Statement s = c.createStatement()) {
      s.execute("ANALYZE jobs, job_tasks");
    }
  }

  private int drain(String queue, int workers, int expected, boolean batched) throws Exception {
    AtomicInteger completed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      String workerId = "bench-" + w;
      fs.add(
          pool.submit(
              () -> {
                while (completed.get() < expected) {
                  JsonNode leases =
                      api.post(
                              "/api/v1/leases",
                              "{\"worker_id\":\""
                                  + workerId
                                  + "\",\"queues\":[\""
                                  + queue
                                  + "\"],\"max_tasks\":"
                                  + (batched ? BATCH : 1)
                                  + ",\"lease_seconds\":60}")
                          .get("leases");
                  if (leases.isEmpty()) {
                    Thread.sleep(5);
                    continue;
                  }
                  if (batched) {
                    completed.addAndGet(completeAll(leases));
                    continue;
                  }
                  for (JsonNode l : leases) {
                    api.post(
                        "/api/v1/leases/"
                            + l.get("job_id").asText()
                            + "/tasks/"
                            + l.get("task_index").asInt()
                            + "/complete",
                        "{\"epoch\":"
                            + l.get("epoch").asLong()
                            + ",\"lease_token\":\""
                            + l.get("lease_token").asText()
                            + "\"}");
                    completed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    return completed.get();
  }

  /** Completes every lease in one batch report; returns how many the server accepted. */
  private int completeAll(JsonNode leases) throws Exception {
    StringBuilder body = new StringBuilder("{\"reports\":[");
    for (int i = 0; i < leases.size(); i++) {
      JsonNode l = leases.get(i);
      body.append(i == 0 ? "" : ",")
          .append("{\"type\":\"complete\",\"job_id\":\"")
          .append(l.get("job_id").asText())
          .append("\",\"task_index\":")
          .append(l.get("task_index").asInt())
          .append(",\"epoch\":")
          .append(l.get("epoch").asLong())
          .append(",\"lease_token\":\"")
          .append(l.get("lease_token").asText())
          .append("\"}");
    }
    JsonNode results =
        api.post("/api/v1/leases/reports", body.append("]}").toString()).get("results");
    int accepted = 0;
    for (JsonNode r : results) {
      if (!r.path("accepted").asBoolean()) {
        throw new IllegalStateException("a completion was refused: " + r);
      }
      accepted++;
    }
    return accepted;
  }

  /**
   * Four `jobplane worker` processes at their default settings (one task at a time, long-polling)
   * on an empty queue; jobs submitted {@code latencyGapMs} apart, each running {@code true}.
   */
  private void latency() throws Exception {
    analyze();
    String queue = "latency-" + System.nanoTime();
    List<Process> workers = new ArrayList<>();
    try {
      for (int w = 0; w < 4; w++) {
        workers.add(
            new ProcessBuilder(
                    "java",
                    "-Xmx128m",
                    "-jar",
                    workerJar.toString(),
                    "worker",
                    "--server",
                    server.baseUrl,
                    "--token-file",
                    server.tokenFile.toString(),
                    "--queue",
                    queue)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
      }
      Thread.sleep(5_000); // the workers start and park their first long-poll
      String submit =
          "{\"name\":\"latency\",\"type\":\"bench\",\"queue\":\""
              + queue
              + "\",\"command\":[\"true\"]}";
      // warm the path with the same jobs, then measure
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < latencyJobs * 2; i++) {
        String id = api.post("/api/v1/jobs", submit).get("id").asText();
        if (i >= latencyJobs) {
          ids.add(id);
        }
        Thread.sleep(latencyGapMs);
      }
      double[] ms = new double[ids.size()];
      for (int i = 0; i < ids.size(); i++) {
        ms[i] = awaitStarted(ids.get(i));
      }
      Arrays.sort(ms);
      System.out.printf(
          "enqueue-to-start over %d jobs submitted %d ms apart (4 idle `jobplane worker`s, default"
              + " settings): median %.1f ms, p99 %.1f ms, max %.1f ms (targets: median ≤ 5 ms,"
              + " p99 ≤ 25 ms)%n",
          ms.length,
          latencyGapMs,
          ms[ms.length / 2],
          ms[(int) Math.ceil(0.99 * ms.length) - 1],
          ms[ms.length - 1]);
      Thread.sleep(3_000); // the last jobs finish; every worker is back in its long-poll
      double claims0 = api.metric("http_server_requests_seconds_count", "uri=\"/api/v1/leases\"");
      double statements0 = api.metric("jobplane_database_statements_total", null);
      Thread.sleep(idleSeconds * 1000L);
      double claims =
          api.metric("http_server_requests_seconds_count", "uri=\"/api/v1/leases\"") - claims0;
      double statements = api.metric("jobplane_database_statements_total", null) - statements0;
      System.out.printf(
          "idle for %d s with the 4 workers parked: %.0f claim requests answered, %.0f database"
              + " statements issued by the server (its sweeper and gauges included)%n",
          idleSeconds, claims, statements);
    } finally {
      for (Process p : workers) {
        p.destroy();
      }
      for (Process p : workers) {
        if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /**
   * Milliseconds from the job's {@code queued_at} to its {@code started_at} (microsecond
   * timestamps; {@code queue_time_ms} is whole milliseconds), waiting up to 30 s for the start.
   */
  private double awaitStarted(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode job = api.get("/api/v1/jobs/" + id);
      if (job.hasNonNull("started_at")) {
        Duration d =
            Duration.between(
                java.time.Instant.parse(job.get("queued_at").asText()),
                java.time.Instant.parse(job.get("started_at").asText()));
        return d.toNanos() / 1e6;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("job " + id + " did not start: " + job);
      }
      Thread.sleep(50);
    }
  }
}
