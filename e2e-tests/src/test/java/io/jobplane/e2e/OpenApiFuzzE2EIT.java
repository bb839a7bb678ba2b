package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.security.Role;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 requests generated from the served /openapi.json against the real server: none may be
 * answered with a 5xx, every answer must keep the document's own promises (documented status and
 * media type, a body valid against the documented schema), and every 4xx is a problem document.
 */
class OpenApiFuzzE2EIT {

  @TempDir static Path dataDir;
  private static JobplaneProcess server;
  private static Tokens tokens;
  private static OpenApiContract contract;
  private static final Map<String, Api> callers = new ConcurrentHashMap<>();

  /** Job ids the generated requests point at; grows with every job a request creates. */
  private static final List<String> pool = new CopyOnWriteArrayList<>();

  private static final int REQUESTS = 10_000;
  private static final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("viewer", Role.VIEWER)
            .add("worker", Role.WORKER)
            .add("outsider", Role.SUBMITTER, "elsewhere");
    Path tokensFile = tokens.write(dataDir.resolve("tokens"));
    server =
        JobplaneProcess.start(
            dataDir.resolve("data"),
            "--tokens-file",
            tokensFile.toString(),
            "--sweep-interval-ms",
            "500");
    for (String name : List.of("admin", "viewer", "worker", "outsider")) {
      callers.put(name, new Api(server.baseUrl(), tokens.token(name)));
    }
    callers.put("anonymous", new Api(server.baseUrl(), null));
    callers.put("forged", new Api(server.baseUrl(), "e2e-admin-forged"));
    contract = OpenApiContract.of(callers.get("anonymous"));
    seedJobs(callers.get("admin"));
  }

  /** Jobs in several states, some leased with epoch 1, so reads and reports find real rows. */
  private static void seedJobs(Api admin) throws Exception {
    for (int i = 0; i < 12; i++) {
      String body =
          "{\"name\":\"seed-"
              + i
              + "\",\"type\":\"etl\",\"queue\":\"fuzz\",\"parallelism\":"
              + (1 + i % 3)
              + ",\"labels\":{\"env\":\"prod\"},\"command\":[\"true\"]}";
      Api.Response r = admin.post("/api/v1/jobs", body);
      assertThat(r.status()).as(r.raw()).isEqualTo(201);
      pool.add(r.body().get("id").asText());
    }
    Api.Response leased =
        admin.post(
            "/api/v1/leases",
            "{\"worker_id\":\"fuzz-seed\",\"queues\":[\"fuzz\"],\"max_tasks\":6,"
                + "\"lease_seconds\":600}");
    assertThat(leased.body().get("leases")).isNotEmpty();
    admin.post("/api/v1/jobs/" + pool.get(pool.size() - 1) + "/stop", "{\"mode\":\"immediate\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    System.out.println("OpenAPI fuzzer: answers by status " + new java.util.TreeMap<>(byStatus));
    if (server != null) {
      server.close();
    }
  }

  /** The server's default limit on a request's head (`--max-header-bytes`, 16 KiB). */
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** Whether the request line and headers alone exceed {@link #MAX_HEADER_BYTES}. */
  private static boolean beyondHeaderLimit(String path, OpenApiRequests.FuzzRequest request) {
    long head = path.length() + 64L; // method, version, Host, Authorization and the like
    for (Map.Entry<String, String> h : request.headers().entrySet()) {
      head += h.getKey().length() + h.getValue().length() + 4;
    }
    return head > MAX_HEADER_BYTES;
  }

  /** A seed whose 10,000 requests were run and kept green (23 November 2026). */
  private static final long DEFAULT_SEED = -3401871009812554747L;

  /**
   * The build fuzzes with a fixed seed, so a build's verdict does not depend on the dice; {@code
   * -Djobplane.fuzz.seed=random} explores new requests and {@code =N} replays a run.
   */
  @Test
  void tenThousandGeneratedRequestsGetAnswersTheDocumentDescribes() throws Exception {
    String chosen = System.getProperty("jobplane.fuzz.seed", Long.toString(DEFAULT_SEED));
    long seed =
        "random".equals(chosen) ? new java.util.Random().nextLong() : Long.parseLong(chosen);
    System.out.println("OpenAPI fuzzer: seed " + seed + " (-Djobplane.fuzz.seed to replay)");
    OpenApiRequests requests = new OpenApiRequests(contract, seed);
    String previous = "none";
    for (int i = 1; i <= REQUESTS; i++) {
      OpenApiRequests.FuzzRequest request = requests.next();
      String path = resolvePool(request.path());
      Api.Response r;
      try {
        r =
            callers
                .get(request.caller())
                .exchange(request.operation().method(), path, request.headers(), request.body());
      } catch (java.io.IOException e) {
        if (beyondHeaderLimit(path, request)) {
          // the server answers 414/431 to a head over its limit and closes at once: it cannot
          // find where such a request ends. A client still sending a body then meets a reset
          // that can discard the answer (HTTP/1.1 offers nothing better); the limit is
          // documented and JettyHttpServerTest proves the problem document it sends
          byStatus
              .computeIfAbsent("closed (head over limit)", k -> new AtomicLong())
              .incrementAndGet();
          continue;
        }
        throw new AssertionError(
            String.format(
                "request %d of seed %d got no answer: %s%n(the request before: %s)%nserver log:%n%s",
                i, seed, request, previous, serverLogTail()),
            e);
      }
      byStatus.computeIfAbsent(String.valueOf(r.status()), s -> new AtomicLong()).incrementAndGet();
      previous =
          request + " -> " + r.status() + " " + r.headers().firstValue("Connection").orElse("");
      if (r.status() == 201 && r.body() != null && r.body().has("id")) {
        pool.add(r.body().get("id").asText());
      }
      assertThat(contract.violations(request.operation(), r))
          .as(
              "request %d of seed %d: %s -> %d %s%s",
              i,
              seed,
              request,
              r.status(),
              OpenApiRequests.abbreviate(r.raw()),
              r.status() >= 500 ? "\nserver log:\n" + serverLogTail() : "")
          .isEmpty();
    }
  }

  private static String serverLogTail() {
    List<String> out = server.output();
    return String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size()));
  }

  private static String resolvePool(String path) {
    int at = path.indexOf(OpenApiRequests.POOL);
    if (at < 0) {
      return path;
    }
    int end = path.indexOf('}', at);
    int index = Integer.parseInt(path.substring(at + OpenApiRequests.POOL.length(), end));
    return path.substring(0, at) + pool.get(index % pool.size()) + path.substring(end + 1);
  }
}
