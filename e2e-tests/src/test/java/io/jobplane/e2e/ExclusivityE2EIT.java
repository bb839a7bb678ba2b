package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing runs twice at once and nothing is lost: racing workers, workers killed at random points
 * and a worker frozen past its lease.
 */
class ExclusivityE2EIT {

  private static final int JOBS = 10_000;
  private static final int WORKERS = 16;

  @TempDir Path dir;
  private final List<Process> workers = new ArrayList<>();

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.toHandle().destroyForcibly();
      w.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Every claim, keyed by job, task and attempt; a second claim of the same key is a double. */
  private record Claim(String jobId, int taskIndex, int attempt) {}

  @Test
  void sixteenWorkersClaimingTenAtATimeAndCompletingInBatchesClaimEachJobOnceAndLoseNone()
      throws Exception {
    try (JobplaneProcess server = JobplaneProcess.start(dir.resolve("race"))) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dir.resolve("race")));
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      try {
        long submitStart = System.nanoTime();
        List<Future<?>> submits = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
          submits.add(
              pool.submit(
                  () -> {
                    for (int i = next.getAndIncrement(); i < JOBS; i = next.getAndIncrement()) {
                      Api.Response r =
                          api.post(
                              "/api/v1/jobs",
                              "{\"name\":\"race-" + i + "\",\"type\":\"race\",\"queue\":\"race\"}");
                      assertThat(r.status()).as(r.raw()).isEqualTo(201);
                    }
                    return null;
                  }));
        }
        for (Future<?> f : submits) {
          f.get(5, TimeUnit.MINUTES);
        }
        long submitMs = (System.nanoTime() - submitStart) / 1_000_000;

        Map<Claim, String> ledger = new ConcurrentHashMap<>();
        AtomicLong doubleClaims = new AtomicLong();
        AtomicLong completed = new AtomicLong();
        AtomicLong refusedReports = new AtomicLong();
        long raceStart = System.nanoTime();
        List<Future<?>> racers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
          ProtocolWorker worker = new ProtocolWorker(api, "racer-" + w);
          racers.add(
              pool.submit(
                  () -> {
                    int idle = 0;
                    while (idle < 3) {
                      // the batch path: up to 10 tasks a claim, all completed in one report
                      List<ProtocolWorker.Lease> leases = worker.claim("race", 10, 300);
                      idle = leases.isEmpty() ? idle + 1 : 0;
                      for (ProtocolWorker.Lease lease : leases) {
                        Claim key = new Claim(lease.jobId(), lease.taskIndex(), lease.attempt());
                        if (ledger.putIfAbsent(key, worker.id()) != null) {
                          doubleClaims.incrementAndGet();
                        }
                      }
                      if (!leases.isEmpty()) {
                        int accepted = worker.completeAll(leases);
                        completed.addAndGet(accepted);
                        refusedReports.addAndGet(leases.size() - accepted);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : racers) {
          f.get(5, TimeUnit.MINUTES);
        }
        long raceMs = (System.nanoTime() - raceStart) / 1_000_000;

        JsonNode counts = api.get("/api/v1/jobs?queue=race&limit=1").body();
        System.out.printf(
            "Exclusivity race: %d jobs submitted in %d ms; %d workers made %d claims in %d ms:"
                + " %d double claims, %d completions accepted, %d refused, %d SUCCEEDED%n",
            JOBS,
            submitMs,
            WORKERS,
            ledger.size(),
            raceMs,
            doubleClaims.get(),
            completed.get(),
            refusedReports.get(),
            counts.get("status_counts").path("SUCCEEDED").asLong());
        assertThat(doubleClaims.get()).isZero();
        assertThat(ledger).hasSize(JOBS);
        assertThat(completed.get()).isEqualTo(JOBS);
        assertThat(refusedReports.get()).isZero();
        assertThat(counts.get("total").asLong()).isEqualTo(JOBS);
        assertThat(counts.get("status_counts").path("SUCCEEDED").asLong())
            .as("no job lost: every one ran to the end")
            .isEqualTo(JOBS);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void workersKilledAtRandomPointsLeaveEveryJobTerminalWithinItsAttempts() throws Exception {
    Path data = dir.resolve("kills");
    try (JobplaneProcess server = JobplaneProcess.start(data, "--sweep-interval-ms", "200")) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(data));
      Random random = new Random();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        String body =
            "{\"name\":\"doomed-"
                + i
                + "\",\"type\":\"shell\",\"queue\":\"kills\",\"max_attempts\":3,"
                + "\"command\":[\"sh\",\"-c\",\"sleep "
                + (1 + random.nextInt(2))
                + "."
                + random.nextInt(10)
                + "\"]}";
        ids.add(api.post("/api/v1/jobs", body).body().get("id").asText());
      }
      for (int w = 0; w < 3; w++) {
        worker(server, data, "kills");
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  api.get("/api/v1/jobs?queue=kills&status=running&limit=1")
                          .body()
                          .get("total")
                          .asLong()
                      > 0);
      // kill -9 a random worker every 0.5 to 1.5 s and start another, for about 10 s
      int kills = 0;
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < until) {
        Thread.sleep(500 + random.nextInt(1000));
        List<Process> alive = workers.stream().filter(Process::isAlive).toList();
        Process victim = alive.get(random.nextInt(alive.size()));
        victim.toHandle().destroyForcibly();
        victim.waitFor(10, TimeUnit.SECONDS);
        kills++;
        worker(server, data, "kills");
      }
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> finished(api, ids) == ids.size());
      int retried = 0;
      for (String id : ids) {
        JsonNode job = api.get("/api/v1/jobs/" + id).body();
        assertThat(job.get("attempt").asInt())
            .as("attempts of %s", id)
            .isLessThanOrEqualTo(job.get("max_attempts").asInt());
        for (JsonNode task : api.get("/api/v1/jobs/" + id + "/tasks").body().get("tasks")) {
          assertThat(task.get("attempt").asInt()).isLessThanOrEqualTo(3);
          retried += task.get("attempt").asInt() > 1 ? 1 : 0;
        }
      }
      System.out.printf(
          "Killed workers: %d kills, %d jobs terminal, %d retried after a kill%n",
          kills, ids.size(), retried);
      assertThat(retried).as("some kills landed on running tasks").isPositive();
    }
  }

  @Test
  void aWorkerPausedPastItsLeaseHasNoReportAcceptedAfterItResumes() throws Exception {
    Tokens tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("paused", Role.WORKER)
            .add("healthy", Role.WORKER);
    Path tokenDir = dir.resolve("tokens");
    Path tokensFile = tokens.write(tokenDir);
    Path marker = dir.resolve("first-attempt-started");
    try (JobplaneProcess server =
        JobplaneProcess.start(
            dir.resolve("pause"),
            "--tokens-file",
            tokensFile.toString(),
            "--sweep-interval-ms",
            "200",
            "--log-level",
            "debug")) {
      Api api = new Api(server.baseUrl(), tokens.token("admin"));
      // lease by lease (no report buffer): this test reads each report's status from the
      // server's request log, and a batch (POST /api/v1/leases/reports) answers 200 with the
      // refusal inside; batched refusals are covered by BatchedLeasesIT and BatchReportsApiTest,
      // the worker's answer to one by WorkerTest
      Process paused =
          JobplaneProcess.startWorker(
              server.baseUrl(),
              tokenDir.resolve("paused.token"),
              dir.resolve("paused.log"),
              "--queue",
              "pause",
              "--lease-seconds",
              "5",
              "--report-interval-ms",
              "0");
      workers.add(paused);
      String body =
          "{\"name\":\"frozen\",\"type\":\"shell\",\"queue\":\"pause\",\"max_attempts\":2,"
              + "\"command\":[\"sh\",\"-c\",\"if [ \\\"$JOBPLANE_ATTEMPT\\\" = 1 ]; then touch "
              + marker
              + "; sleep 12; fi; echo done\"]}";
      String id = api.post("/api/v1/jobs", body).body().get("id").asText();
      await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(marker));
      signal("STOP", paused);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> firstTask(api, id).get("attempt").asInt() == 2);
      workers.add(
          JobplaneProcess.startWorker(
              server.baseUrl(),
              tokenDir.resolve("healthy.token"),
              dir.resolve("healthy.log"),
              "--queue",
              "pause",
              "--lease-seconds",
              "5"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> api.get("/api/v1/jobs/" + id).body().get("status").asText(),
              "SUCCEEDED"::equals);

      int resumedAt = server.output().size();
      signal("CONT", paused);
      String reports = "/api/v1/leases/" + id + "/tasks/0/";
      // its heartbeat is due every lease/3 (under 2 s) and the child ends within 12 s of start
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> requestsAfter(server, resumedAt, reports, "paused", "409") > 0);
      Thread.sleep(2_000); // anything it still sends after the first refusal
      long accepted = requestsAfter(server, resumedAt, reports, "paused", "2");
      long refused = requestsAfter(server, resumedAt, reports, "paused", "409");
      System.out.printf(
          "Paused worker after resuming: %d reports accepted, %d refused with 409%n",
          accepted, refused);
      assertThat(accepted).isZero();
      JsonNode task = firstTask(api, id);
      assertThat(task.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(task.get("attempt").asInt()).isEqualTo(2);
      assertThat(api.get("/api/v1/jobs/" + id).body().get("status").asText())
          .isEqualTo("SUCCEEDED");
    }
  }

  private void worker(JobplaneProcess server, Path data, String queue) throws Exception {
    workers.add(
        JobplaneProcess.startWorker(
            server.baseUrl(),
            data.resolve("admin.token"),
            dir.resolve("worker-" + workers.size() + ".log"),
            "--queue",
            queue,
            "--concurrency",
            "2",
            "--lease-seconds",
            "5"));
  }

  private static long finished(Api api, List<String> ids) throws Exception {
    long n = 0;
    for (String id : ids) {
      String status = api.get("/api/v1/jobs/" + id).body().get("status").asText();
      n += List.of("SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT").contains(status) ? 1 : 0;
    }
    return n;
  }

  private static JsonNode firstTask(Api api, String id) throws Exception {
    return api.get("/api/v1/jobs/" + id + "/tasks").body().get("tasks").get(0);
  }

  private static void signal(String signal, Process process) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  /** Request lines of the server's debug log: "POST /path 409 3ms caller=name". */
  private static long requestsAfter(
      JobplaneProcess server, int fromLine, String pathPrefix, String caller, String statusPrefix) {
    List<String> lines = server.output();
    return lines.subList(fromLine, lines.size()).stream()
        .filter(l -> l.contains("POST " + pathPrefix))
        .filter(l -> l.endsWith("caller=" + caller))
        .filter(l -> l.matches(".*POST \\S+ " + statusPrefix + "\\d* \\d+ms caller=.*"))
        .count();
  }
}
