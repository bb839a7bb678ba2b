package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Project limits on a running server: max_running held against several workers claiming at once,
 * max_queued refusing with 429, fair share between a big and a small project on one queue, the
 * limits endpoints' tenant isolation and the {@code jobplane limits} commands.
 */
class LimitsE2EIT {

  @TempDir static Path dir;
  private static JobplaneProcess server;
  private static Tokens tokens;
  private static Api admin;

  @BeforeAll
  static void start() throws Exception {
    tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("worker", Role.WORKER)
            .add("etl", Role.SUBMITTER, "etl")
            .add("ml", Role.SUBMITTER, "ml")
            .add("ml-viewer", Role.VIEWER, "ml");
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server = JobplaneProcess.start(dir.resolve("data"), "--tokens-file", tokensFile.toString());
    admin = caller("admin");
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Api caller(String name) {
    return new Api(server.baseUrl(), tokens.token(name));
  }

  private static void setLimits(String project, String json) throws Exception {
    Api.Response r =
        admin.exchange(
            "PUT",
            "/api/v1/projects/" + project + "/limits",
            Map.of("Content-Type", "application/json"),
            json);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
  }

  private static String submit(String project, String queue, int i) throws Exception {
    Api.Response r =
        admin.post(
            "/api/v1/jobs",
            "{\"name\":\"j-"
                + i
                + "\",\"type\":\"limits\",\"project\":\""
                + project
                + "\",\"queue\":\""
                + queue
                + "\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static long total(String project) throws Exception {
    return admin.get("/api/v1/jobs?project=" + project + "&limit=1").body().get("total").asLong();
  }

  @Test
  void withMaxRunningTwoTenJobsNeverRunMoreThanTwoAtOnceAndTheOthersSayWhy() throws Exception {
    setLimits("capped", "{\"max_running\":2}");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(submit("capped", "capped", i));
    }
    Api worker = caller("worker");
    AtomicInteger holding = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    List<String> reasons = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < 5; w++) {
        ProtocolWorker pw = new ProtocolWorker(worker, "capped-" + w);
        workers.add(
            pool.submit(
                () -> {
                  while (done.get() < 10) {
                    List<ProtocolWorker.Lease> leases = pw.claim("capped", 2, 60);
                    if (leases.isEmpty()) {
                      Thread.sleep(20);
                      continue;
                    }
                    int now = holding.addAndGet(leases.size());
                    most.accumulateAndGet(now, Math::max);
                    // while two run, a queued one tells why it waits
                    for (String id : ids) {
                      JsonNode job = admin.get("/api/v1/jobs/" + id).body();
                      if (job.path("status").asText().equals("QUEUED")) {
                        reasons.add(job.path("waiting").path("reason").asText());
                        break;
                      }
                    }
                    Thread.sleep(100);
                    holding.addAndGet(-leases.size());
                    for (ProtocolWorker.Lease lease : leases) {
                      assertThat(pw.complete(lease).status()).isEqualTo(200);
                      done.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(done.get()).isEqualTo(10);
    assertThat(most.get()).as("jobs held at once by the workers").isEqualTo(2);
    // the server's own record: at no instant were more than two of them between start and end
    List<long[]> spans = new ArrayList<>();
    for (String id : ids) {
      JsonNode job = admin.get("/api/v1/jobs/" + id).body();
      assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
      spans.add(
          new long[] {
            micros(job.path("started_at").asText()), micros(job.path("finished_at").asText())
          });
    }
    for (long[] span : spans) {
      long overlapping = spans.stream().filter(o -> o[0] <= span[0] && span[0] < o[1]).count();
      assertThat(overlapping).as("jobs running when one started").isLessThanOrEqualTo(2);
    }
    assertThat(reasons).isNotEmpty().contains("CONCURRENCY_LIMIT");
    JsonNode limits = admin.get("/api/v1/projects/capped/limits").body();
    assertThat(limits.path("usage").path("total").path("running").asLong()).isZero();
  }

  @Test
  void aSubmitPastMaxQueuedGets429AndStoresNothing() throws Exception {
    setLimits("bounded", "{\"max_queued\":3}");
    for (int i = 0; i < 3; i++) {
      submit("bounded", "bounded", i);
    }
    Api.Response refused =
        admin.post(
            "/api/v1/jobs",
            "{\"name\":\"one-too-many\",\"type\":\"limits\",\"project\":\"bounded\"}");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body().path("detail").asText()).contains("max_queued is 3");
    assertThat(total("bounded")).isEqualTo(3);
    assertThat(
            admin
                .get("/api/v1/jobs?project=bounded&limit=100")
                .body()
                .path("items")
                .findValuesAsText("name"))
        .doesNotContain("one-too-many");
  }

  @Test
  void aSmallProjectSharingFourWorkerSlotsWithABigOneStartsAllItsJobsWithinItsFairShare()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> submits = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      for (int t = 0; t < 8; t++) {
        submits.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < 1000; i = next.getAndIncrement()) {
                    submit("big", "shared", i);
                  }
                  return null;
                }));
      }
      for (Future<?> f : submits) {
        f.get(5, TimeUnit.MINUTES);
      }
      java.util.Set<String> small = java.util.concurrent.ConcurrentHashMap.newKeySet();
      for (int i = 0; i < 10; i++) {
        small.add(submit("small", "shared", i)); // the newest: without fair share, the last
      }

      // four worker slots claim one task at a time and finish it at once; claims are recorded
      // in the order the server answered them
      Api worker = caller("worker");
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger smallStarted = new AtomicInteger();
      List<Future<?>> slots = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        ProtocolWorker pw = new ProtocolWorker(worker, "slot-" + w);
        slots.add(
            pool.submit(
                () -> {
                  while (smallStarted.get() < 10 && order.size() < 200) {
                    for (ProtocolWorker.Lease lease : pw.claim("shared", 1, 60)) {
                      boolean isSmall = small.contains(lease.jobId());
                      order.add(isSmall ? "small" : "big");
                      if (isSmall) {
                        smallStarted.incrementAndGet();
                      }
                      pw.complete(lease);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : slots) {
        f.get(5, TimeUnit.MINUTES);
      }
      int lastSmall = order.lastIndexOf("small");
      System.out.printf(
          "Fair share: the small project's 10 jobs started within the first %d claims%n",
          lastSmall + 1);
      assertThat(smallStarted.get()).isEqualTo(10);
      // its fair share is every other claim: 20; four claims in flight at once and answers
      // recorded in the order they arrive blur that by a few (21 to 26 seen)
      assertThat(lastSmall + 1)
          .as("claims until the small project's last job started")
          .isLessThanOrEqualTo(30);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anotherTenantsLimitsAreNotFoundAndOnlyAnAdminSetsThem() throws Exception {
    setLimits("ml", "{\"max_running\":4}");
    Api etl = caller("etl");
    Api.Response hidden = etl.get("/api/v1/projects/ml/limits");
    Api.Response unknown = etl.get("/api/v1/projects/nobody/limits");
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.contentType()).startsWith("application/problem+json");
    assertThat(hidden.body().path("detail")).isEqualTo(unknown.body().path("detail"));
    assertThat(hidden.raw()).doesNotContain("max_running");
    Api.Response write =
        etl.exchange(
            "PUT",
            "/api/v1/projects/ml/limits",
            Map.of("Content-Type", "application/json"),
            "{\"max_running\":100}");
    assertThat(write.status()).isEqualTo(404);

    assertThat(
            caller("ml-viewer")
                .get("/api/v1/projects/ml/limits")
                .body()
                .path("max_running")
                .asInt())
        .isEqualTo(4);
    Api.Response notAdmin =
        caller("ml")
            .exchange(
                "PUT",
                "/api/v1/projects/ml/limits",
                Map.of("Content-Type", "application/json"),
                "{\"max_running\":100}");
    assertThat(notAdmin.status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/projects/ml/limits").body().path("max_running").asInt())
        .isEqualTo(4);
  }

  @Test
  void theCliSetsAndShowsAProjectsLimits() throws Exception {
    Map<String, String> env =
        Map.of("JOBPLANE_SERVER", server.baseUrl(), "JOBPLANE_TOKEN", tokens.token("admin"));
    String set =
        cli(
            env,
            "limits",
            "set",
            "cli",
            "--max-running",
            "3",
            "--max-queued",
            "50",
            "--queue-max-running",
            "gpu=1",
            "-o",
            "json");
    assertThat(Api.JSON.readTree(set).path("queues").path("gpu").path("max_running").asInt())
        .isEqualTo(1);
    String got = cli(env, "limits", "get", "cli");
    assertThat(got).contains("max_running: 3", "max_queued: 50", "gpu:");
    JsonNode stored = admin.get("/api/v1/projects/cli/limits").body();
    assertThat(stored.path("max_queued").asLong()).isEqualTo(50);
  }

  private static long micros(String instant) {
    java.time.Instant i = java.time.Instant.parse(instant);
    return i.getEpochSecond() * 1_000_000 + i.getNano() / 1_000;
  }

  private static String cli(Map<String, String> env, String... args) throws Exception {
    List<String> command = JobplaneProcess.cli("-Xmx128m", args[0]);
    command.addAll(List.of(args).subList(1, args.length));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("JOBPLANE_SERVER");
    builder.environment().remove("JOBPLANE_TOKEN");
    builder.environment().put("JOBPLANE_CONFIG", dir.resolve("config.yaml").toString());
    builder.environment().putAll(env);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return Files.readString(out);
  }
}
