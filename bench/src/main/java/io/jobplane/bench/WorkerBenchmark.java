package io.jobplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import picocli.CommandLine.Option;

/**
 * Worker protocol throughput: N protocol clients (threads, each its own worker id) claim one task
 * at a time and complete it at once, so the figure is the cost of claim + complete through the API
 * and PostgreSQL. After each round db-scheduler runs as many tasks with N threads on the same
 * PostgreSQL ({@link DbSchedulerReference}), the reference issue 6 measures against. Then the
 * enqueue-to-start latency with idle workers polling.
 */
@Command(name = "worker-benchmark", mixinStandardHelpOptions = true)
public final class WorkerBenchmark implements Callable<Integer> {

  @Option(names = "--base-url", required = true)
  String baseUrl;

  @Option(names = "--token-file", required = true)
  Path tokenFile;

  @Option(names = "--jobs", defaultValue = "2000")
  int jobs;

  @Option(names = "--latency-jobs", defaultValue = "200")
  int latencyJobs;

  @Option(
      names = "--reference-jdbc-url",
      required = true,
      description = "Where db-scheduler runs the same number of tasks: the server's PostgreSQL.")
  String referenceJdbcUrl;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private String token;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    token = Files.readString(tokenFile).strip();
    System.out.println(
        "| workers = threads | jobs | Jobplane s | Jobplane claim+complete jobs/s (HTTP)"
            + " | db-scheduler fetch-and-lock-on-execute tasks/s"
            + " | db-scheduler lock-and-fetch tasks/s | ratio to the faster | target ≥ 0.50 |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---|");
    for (int workers : new int[] {1, 4, 16}) {
      String queue = "bench-" + workers + "-" + System.nanoTime();
      submit(queue, jobs);
      long t0 = System.nanoTime();
      int done = drain(queue, workers, jobs);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double jobplane = done / seconds;
      // measured right after Jobplane's round, with the server idle, so both see the same machine
      double fetch =
          DbSchedulerReference.tasksPerSecond(
              referenceJdbcUrl,
              DbSchedulerReference.Strategy.FETCH_AND_LOCK_ON_EXECUTE,
              workers,
              jobs);
      double lock =
          DbSchedulerReference.tasksPerSecond(
              referenceJdbcUrl, DbSchedulerReference.Strategy.LOCK_AND_FETCH, workers, jobs);
      double ratio = jobplane / Math.max(fetch, lock);
      System.out.printf(
          "| %d | %d | %.1f | %.0f | %.0f | %.0f | %.2f | %s |%n",
          workers, done, seconds, jobplane, fetch, lock, ratio, ratio >= 0.5 ? "met" : "missed");
    }
    System.out.println();
    latency();
    return 0;
  }

  private void submit(String queue, int n) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      fs.add(
          pool.submit(
              () ->
                  post(
                      "/api/v1/jobs",
                      "{\"name\":\"bench\",\"type\":\"bench\",\"queue\":\"" + queue + "\"}")));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
  }

  private int drain(String queue, int workers, int expected) throws Exception {
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
                      post(
                              "/api/v1/leases",
                              "{\"worker_id\":\""
                                  + workerId
                                  + "\",\"queues\":[\""
                                  + queue
                                  + "\"],\"max_tasks\":1,\"lease_seconds\":60}")
                          .get("leases");
                  if (leases.isEmpty()) {
                    Thread.sleep(5);
                    continue;
                  }
                  for (JsonNode l : leases) {
                    post(
                        "/api/v1/leases/"
                            + l.get("job_id").asText()
                            + "/tasks/"
                            + l.get("task_index").asInt()
                            + "/complete",
                        "{\"epoch\":" + l.get("epoch").asLong() + "}");
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

  /** Idle workers poll every 50 ms; each job is submitted alone and its queue time read back. */
  private void latency() throws Exception {
    String queue = "latency-" + System.nanoTime();
    AtomicInteger completed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      String workerId = "latency-" + w;
      fs.add(
          pool.submit(
              () -> {
                while (completed.get() < latencyJobs) {
                  JsonNode leases =
                      post(
                              "/api/v1/leases",
                              "{\"worker_id\":\""
                                  + workerId
                                  + "\",\"queues\":[\""
                                  + queue
                                  + "\"],\"max_tasks\":1}")
                          .get("leases");
                  if (leases.isEmpty()) {
                    Thread.sleep(50);
                    continue;
                  }
                  for (JsonNode l : leases) {
                    post(
                        "/api/v1/leases/" + l.get("job_id").asText() + "/tasks/0/complete",
                        "{\"epoch\":" + l.get("epoch").asLong() + "}");
                    completed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < latencyJobs; i++) {
      ids.add(
          post(
                  "/api/v1/jobs",
                  "{\"name\":\"latency\",\"type\":\"bench\",\"queue\":\"" + queue + "\"}")
              .get("id")
              .asText());
      Thread.sleep(20);
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    double[] ms = new double[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      ms[i] = get("/api/v1/jobs/" + ids.get(i)).get("queue_time_ms").asDouble();
    }
    Arrays.sort(ms);
    System.out.printf(
        "enqueue-to-start latency over %d jobs (4 idle workers polling every 50 ms):"
            + " median %.0f ms, p99 %.0f ms, max %.0f ms%n",
        ms.length, ms[ms.length / 2], ms[(int) Math.ceil(0.99 * ms.length) - 1], ms[ms.length - 1]);
  }

  private JsonNode post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  private JsonNode get(String path) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build());
  }

  private JsonNode send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
    }
    return json.readTree(r.body());
  }
}
