package io.jobplane.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: an in-memory Jobplane server that speaks the worker side of docs/worker-protocol.md
 * over the JDK's HTTP server. It checks what a real server checks (bearer token, epochs, lease
 * tokens: a report without {@code lease_token} is a 400, with another lease's a 409, field ranges)
 * so the worker is tested against the contract, and records every report for the tests to look at.
 * It does not re-queue failed tasks.
 */
final class FakeJobplaneServer implements AutoCloseable {

  static final String TOKEN = "jp_test-worker-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REPORT =
      Pattern.compile("/api/v1/leases/([^/]+)/tasks/(\\d+)/([a-z]+)");

  /** One task as the fake sees it. */
  static final class FakeTask {
    final String jobId;
    final int index;
    final ObjectNode job;
    final int parallelism;
    volatile JsonNode checkpoint = NullNode.getInstance();
    volatile String status = "QUEUED";
    volatile long epoch;
    volatile String leaseToken;
    volatile int attempt;
    volatile String workerId;
    volatile String hostname;
    volatile JsonNode completion;
    volatile JsonNode failure;
    volatile ObjectNode stop;
    volatile boolean revokeOnHeartbeat;
    final List<JsonNode> heartbeats = new CopyOnWriteArrayList<>();
    final List<JsonNode> logLines = new CopyOnWriteArrayList<>();
    final List<JsonNode> outputs = new CopyOnWriteArrayList<>();
    final List<JsonNode> checkpoints = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();

    FakeTask(String jobId, int index, ObjectNode job, int parallelism) {
      this.jobId = jobId;
      this.index = index;
      this.job = job;
      this.parallelism = parallelism;
    }

    List<String> logMessages() {
      List<String> m = new ArrayList<>();
      logLines.forEach(l -> m.add(l.path("message").asText()));
      return m;
    }
  }

  private final HttpServer http;
  private final Object lock = new Object();
  private final Map<String, FakeTask> tasks = new LinkedHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, List<Integer>> injected = new LinkedHashMap<>();
  private volatile boolean grantTwice;
  private volatile boolean batchEndpoint = true;
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private volatile boolean longPolling;
  private volatile boolean leaseTokens = true;
  final List<JsonNode> claims = new CopyOnWriteArrayList<>();

  /** Query strings of DELETE /api/v1/leases/waiting: workers ending their waiting claims. */
  final List<String> released = new CopyOnWriteArrayList<>();

  private int maxRunning;

  FakeJobplaneServer() throws IOException {
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    http.createContext("/", this::handle);
    http.setExecutor(Executors.newFixedThreadPool(8));
    http.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  @Override
  public void close() {
    synchronized (lock) {
      longPolling = false;
      lock.notifyAll(); // waiting claims answer now
    }
    http.stop(0);
  }

  // ---- test controls ----

  /**
   * Claims with {@code wait_seconds} wait for a submit like a real server's (by default the fake
   * answers at once, as a server without long-polling would).
   */
  void longPoll() {
    longPolling = true;
  }

  /** Queues a job (JSON of the job as the lease shows it: command, env, input, type...). */
  String submit(String jobJson) {
    return submit(jobJson, 1);
  }

  String submit(String jobJson, int parallelism) {
    try {
      ObjectNode job = (ObjectNode) JSON.readTree(jobJson);
      String id = UUID.randomUUID().toString();
      synchronized (lock) {
        for (int i = 0; i < parallelism; i++) {
          tasks.put(id + "/" + i, new FakeTask(id, i, job, parallelism));
        }
        lock.notifyAll(); // claims that wait for work
      }
      return id;
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  FakeTask task(String jobId, int index) {
    synchronized (lock) {
      return tasks.get(jobId + "/" + index);
    }
  }

  FakeTask task(String jobId) {
    return task(jobId, 0);
  }

  /** The next heartbeat answers carry this stop request (as after POST /jobs/{id}/stop). */
  void requestStop(String jobId, String mode, Instant deadline) {
    ObjectNode stop = JSON.createObjectNode();
    stop.put("mode", mode);
    stop.put("deadline", deadline.toString());
    task(jobId).stop = stop;
  }

  /** The next heartbeat of the job's task 0 finds the lease revoked: 409 from then on. */
  void revokeOnNextHeartbeat(String jobId) {
    task(jobId).revokeOnHeartbeat = true;
  }

  /** The next {@code times} requests whose path ends with {@code suffix} answer {@code status}. */
  void answerNext(String suffix, int times, int status) {
    synchronized (lock) {
      List<Integer> l = injected.computeIfAbsent(suffix, k -> new ArrayList<>());
      for (int i = 0; i < times; i++) {
        l.add(status);
      }
    }
  }

  /** Every lease of the next claim is listed twice, as a buggy or replayed answer would. */
  void grantEachLeaseTwice() {
    grantTwice = true;
  }

  /**
   * As a server from before lease tokens: claims hand out none, and a report that carries one is a
   * 400 (the real server refuses fields it does not know).
   */
  void withoutLeaseTokens() {
    leaseTokens = false;
  }

  /** As {@code DELETE /api/v1/jobs/{id}}: every report on the job's tasks is a 404 from now on. */
  void delete(String jobId) {
    synchronized (lock) {
      tasks.keySet().removeIf(k -> k.startsWith(jobId + "/"));
    }
  }

  /** As a server from before batched reports: {@code POST /api/v1/leases/reports} is a 404. */
  void withoutBatchEndpoint() {
    batchEndpoint = false;
  }

  /** How many reports each {@code POST /api/v1/leases/reports} carried, in order. */
  List<Integer> batchSizes() {
    return batchSizes;
  }

  /** Most tasks leased to workers and not yet finished at any one time. */
  int maxRunning() {
    synchronized (lock) {
      return maxRunning;
    }
  }

  /** "POST path status" of every request, in order. */
  List<String> requests() {
    return requests;
  }

  // ---- protocol ----

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (ex.getRequestMethod().equals("DELETE") && path.equals("/api/v1/leases/waiting")) {
      released.add(String.valueOf(ex.getRequestURI().getQuery()));
      synchronized (lock) {
        lock.notifyAll(); // as the server answers the worker's waiting claim
      }
      requests.add("DELETE " + path + " 204");
      ex.sendResponseHeaders(204, -1);
      ex.close();
      return;
    }
    int status;
    JsonNode answer;
    try {
      byte[] in = ex.getRequestBody().readAllBytes();
      Integer forced = forced(path);
      if (forced != null) {
        status = forced;
        answer = problem(status, "injected by the test");
      } else if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        answer = problem(401, "missing or unknown token");
      } else if (!ex.getRequestMethod().equals("POST")) {
        status = 405;
        answer = problem(405, "POST only");
      } else {
        JsonNode body = JSON.readTree(in);
        Object[] result = route(path, body);
        status = (Integer) result[0];
        answer = (JsonNode) result[1];
      }
    } catch (IOException | RuntimeException e) {
      status = 400;
      answer = problem(400, String.valueOf(e));
    }
    requests.add("POST " + path + " " + status);
    byte[] out = JSON.writeValueAsBytes(answer);
    ex.getResponseHeaders()
        .set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
    ex.sendResponseHeaders(status, out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  private Integer forced(String path) {
    synchronized (lock) {
      for (Map.Entry<String, List<Integer>> e : injected.entrySet()) {
        if (path.endsWith(e.getKey()) && !e.getValue().isEmpty()) {
          return e.getValue().remove(0);
        }
      }
      return null;
    }
  }

  private Object[] route(String path, JsonNode body) {
    if (path.equals("/api/v1/leases")) {
      return claim(body);
    }
    if (path.equals("/api/v1/leases/reports") && batchEndpoint) {
      return batch(body);
    }
    Matcher m = REPORT.matcher(path);
    if (!m.matches()) {
      return new Object[] {404, problem(404, "no such endpoint")};
    }
    FakeTask task = task(m.group(1), Integer.parseInt(m.group(2)));
    if (task == null) {
      // the real server's answer for a deleted job, or one the token may not see
      return new Object[] {
        404, problem(404, "job not found").put("type", WorkerApi.NOT_FOUND_PROBLEM)
      };
    }
    task.requests.add(m.group(3));
    synchronized (lock) {
      if (!body.path("epoch").isIntegralNumber()) {
        return new Object[] {400, problem(400, "epoch is required")};
      }
      if (!leaseTokens && body.has("lease_token")) {
        return new Object[] {400, problem(400, "lease_token: unknown field")};
      }
      if (leaseTokens && !body.path("lease_token").isTextual()) {
        return new Object[] {400, problem(400, "lease_token is required")}; // as the server
      }
      if (body.path("epoch").asLong() != task.epoch
          || (leaseTokens && !body.path("lease_token").asText().equals(task.leaseToken))
          || !task.status.equals("RUNNING")) {
        return new Object[] {409, stale()};
      }
      switch (m.group(3)) {
        case "heartbeat":
          if (task.revokeOnHeartbeat) {
            task.status = "REVOKED";
            return new Object[] {409, stale()};
          }
          task.heartbeats.add(body);
          ObjectNode hb = JSON.createObjectNode();
          hb.put("expires_at", Instant.now().plusSeconds(30).toString());
          hb.set("stop", task.stop == null ? NullNode.getInstance() : task.stop);
          return ok(hb);
        case "complete":
          if (body.has("output")
              && !body.get("output").isObject()
              && !body.get("output").isNull()) {
            return new Object[] {400, problem(400, "output must be an object")};
          }
          task.completion = body;
          task.status = "SUCCEEDED";
          break;
        case "fail":
          if (!body.path("reason").isTextual() || !body.path("retryable").isBoolean()) {
            return new Object[] {400, problem(400, "reason and retryable are required")};
          }
          task.failure = body;
          task.status = "FAILED";
          break;
        case "stopped":
          task.status = "STOPPED";
          break;
        case "logs":
          {
            JsonNode lines = body.path("lines");
            if (!lines.isArray() || lines.size() > 1000) {
              return new Object[] {400, problem(400, "lines: 1..1000")};
            }
            Set<String> levels = Set.of("info", "warn", "error");
            for (JsonNode l : lines) {
              if (!levels.contains(l.path("level").asText())
                  || !Set.of("stdout", "stderr").contains(l.path("stream").asText())) {
                return new Object[] {400, problem(400, "bad log line " + l)};
              }
              task.logLines.add(l);
            }
            break;
          }
        case "output":
          body.path("records").forEach(task.outputs::add);
          break;
        case "checkpoints":
          if (!body.path("checkpoint_id").isTextual()) {
            return new Object[] {400, problem(400, "checkpoint_id is required")};
          }
          task.checkpoints.add(body);
          break;
        default:
          return new Object[] {404, problem(404, "no such report")};
      }
      return ok(JSON.createObjectNode().put("status", task.status));
    }
  }

  /**
   * Each report as its single-lease call, answered in order: accepted with that call's answer, or
   * refused with its status and problem type (what the real server does).
   */
  private Object[] batch(JsonNode body) {
    JsonNode reports = body.path("reports");
    if (!reports.isArray() || reports.isEmpty() || reports.size() > 100) {
      return new Object[] {400, problem(400, "reports: 1..100")};
    }
    Set<String> types = Set.of("heartbeat", "complete", "fail", "stopped");
    for (JsonNode r : reports) {
      if (!r.path("job_id").isTextual()
          || !r.path("task_index").isIntegralNumber()
          || !types.contains(r.path("type").asText())) {
        return new Object[] {400, problem(400, "bad report " + r)};
      }
    }
    batchSizes.add(reports.size());
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode results = answer.putArray("results");
    for (JsonNode r : reports) {
      ObjectNode single = ((ObjectNode) r).deepCopy();
      single.remove(List.of("job_id", "task_index", "type"));
      String type = r.path("type").asText();
      Object[] one =
          route(
              "/api/v1/leases/"
                  + r.path("job_id").asText()
                  + "/tasks/"
                  + r.path("task_index").asInt()
                  + "/"
                  + type,
              single);
      int status = (Integer) one[0];
      JsonNode a = (JsonNode) one[1];
      ObjectNode result = results.addObject();
      result.put("job_id", r.path("job_id").asText());
      result.put("task_index", r.path("task_index").asInt());
      result.put("epoch", r.path("epoch").asLong());
      result.put("accepted", status == 200);
      if (status != 200) {
        result.put("status", status);
        result.set("type", a.path("type"));
        result.put("title", "refused");
        result.set("detail", a.path("detail"));
      } else if (type.equals("heartbeat")) {
        result.setAll((ObjectNode) a);
      } else {
        result.set("task", a);
      }
    }
    return ok(answer);
  }

  private Object[] claim(JsonNode body) {
    String workerId = body.path("worker_id").asText("");
    int max = body.path("max_tasks").asInt(1);
    int leaseSeconds = body.path("lease_seconds").asInt(30);
    if (workerId.isEmpty() || workerId.length() > 128) {
      return new Object[] {400, problem(400, "worker_id: 1..128 characters")};
    }
    if (max < 1 || max > 100 || leaseSeconds < 5 || leaseSeconds > 600) {
      return new Object[] {400, problem(400, "max_tasks 1..100, lease_seconds 5..600")};
    }
    Set<String> queues = new HashSet<>();
    body.path("queues").forEach(q -> queues.add(q.asText()));
    if (queues.isEmpty()) {
      queues.add("default");
    }
    Set<String> types = new HashSet<>();
    body.path("types").forEach(t -> types.add(t.asText()));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode leases = answer.putArray("leases");
    claims.add(body);
    long waitNanos =
        longPolling ? TimeUnit.SECONDS.toNanos(body.path("wait_seconds").asLong(0)) : 0;
    long deadline = System.nanoTime() + waitNanos;
    synchronized (lock) {
      while (true) {
        leaseQueued(body, workerId, max, leaseSeconds, queues, types, leases);
        long left = deadline - System.nanoTime();
        if (!leases.isEmpty() || left <= 0 || !longPolling) {
          break;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left); // a submit wakes it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (grantTwice && !leases.isEmpty()) {
        grantTwice = false;
        List<JsonNode> copy = new ArrayList<>();
        leases.forEach(copy::add);
        copy.forEach(leases::add);
      }
      long running = tasks.values().stream().filter(t -> t.status.equals("RUNNING")).count();
      maxRunning = (int) Math.max(maxRunning, running);
    }
    return ok(answer);
  }

  private void leaseQueued(
      JsonNode body,
      String workerId,
      int max,
      int leaseSeconds,
      Set<String> queues,
      Set<String> types,
      ArrayNode leases) {
    for (FakeTask t : tasks.values()) {
      if (leases.size() >= max) {
        break;
      }
      String queue = t.job.path("queue").asText("default");
      String type = t.job.path("type").asText("");
      if (!t.status.equals("QUEUED")
          || !queues.contains(queue)
          || (!types.isEmpty() && !types.contains(type))) {
        continue;
      }
      t.status = "RUNNING";
      t.epoch++;
      t.leaseToken = "jpl_" + UUID.randomUUID() + "-" + t.epoch; // unguessable, like the server's
      t.attempt++;
      t.workerId = workerId;
      t.hostname = body.path("hostname").asText(null);
      ObjectNode l = leases.addObject();
      l.put("job_id", t.jobId);
      l.put("task_index", t.index);
      l.put("epoch", t.epoch);
      if (leaseTokens) {
        l.put("lease_token", t.leaseToken);
      }
      l.put("expires_at", Instant.now().plusSeconds(leaseSeconds).toString());
      l.put("run_id", 1);
      l.put("attempt", t.attempt);
      l.put("parallelism", t.parallelism);
      l.set("job", t.job);
      l.set("checkpoint", t.checkpoint);
    }
  }

  private static Object[] ok(JsonNode body) {
    return new Object[] {200, body};
  }

  private static JsonNode stale() {
    return problem(409, "stale lease").put("type", "https://jobplane.io/problems/stale-lease");
  }

  private static ObjectNode problem(int status, String detail) {
    ObjectNode p = JSON.createObjectNode();
    p.put("type", "about:blank");
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }
}
