package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job graphs through the API with a real worker: a diamond submitted at once runs in order and is
 * watched as a group on the jobs stream filtered by the graph's label, a failed node skips what
 * depends on it and fails the graph, and a cycle is refused naming it.
 */
class JobGraphsE2EIT {

  @TempDir static Path dir;
  static JobplaneProcess server;
  static Api api;
  static Process worker;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dir.resolve("data"));
    token = JobplaneProcess.adminToken(dir.resolve("data"));
    api = new Api(server.baseUrl(), token);
    worker =
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dir.resolve("data").resolve("admin.token"),
            dir.resolve("worker.log"),
            "--queue",
            "graph",
            "--concurrency",
            "4");
  }

  @AfterAll
  static void stop() throws Exception {
    worker.toHandle().destroyForcibly();
    worker.waitFor(10, TimeUnit.SECONDS);
    server.close();
  }

  /** A node whose job runs {@code script} on the test's queue. */
  private static Map<String, Object> node(
      String name, String script, List<String> dependsOn, String condition) {
    Map<String, Object> job =
        Map.of(
            "name",
            name,
            "type",
            "shell",
            "queue",
            "graph",
            "max_attempts",
            1,
            "command",
            List.of("sh", "-c", script));
    Map<String, Object> node = new HashMap<>(Map.of("name", name, "job", job));
    if (!dependsOn.isEmpty()) {
      node.put("depends_on", dependsOn);
    }
    if (condition != null) {
      node.put("dependency_condition", condition);
    }
    return node;
  }

  private static Api.Response submit(List<Map<String, Object>> nodes) throws Exception {
    return api.post(
        "/api/v1/job-graphs", Api.JSON.writeValueAsString(Map.of("name", "e2e", "nodes", nodes)));
  }

  private static JsonNode graph(String id) throws Exception {
    return api.get("/api/v1/job-graphs/" + id).body();
  }

  private static Map<String, String> jobIds(JsonNode graph) {
    Map<String, String> ids = new HashMap<>();
    graph.get("nodes").forEach(n -> ids.put(n.get("name").asText(), n.get("job_id").asText()));
    return ids;
  }

  private static HttpResponse<Stream<String>> watch(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
  }

  /** The next event's data off an SSE stream, skipping comments. */
  private static JsonNode nextEvent(Iterator<String> lines) throws Exception {
    StringBuilder data = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty() && data.length() > 0) {
        return Api.JSON.readTree(data.toString());
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    throw new AssertionError("the stream ended");
  }

  @Test
  void aDiamondSubmittedAtOnceRunsInOrderAndIsWatchedByItsLabel() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          Path order = dir.resolve("order");
          Path go = dir.resolve("go");
          String record = "echo %s >> " + order;
          Api.Response r =
              submit(
                  List.of(
                      node("load", record.formatted("load"), List.of("left", "right"), null),
                      node(
                          "extract",
                          "while [ ! -f "
                              + go
                              + " ]; do sleep 0.2; done; "
                              + record.formatted("extract"),
                          List.of(),
                          null),
                      node("left", record.formatted("left"), List.of("extract"), null),
                      node(
                          "right",
                          "sleep 1; " + record.formatted("right"),
                          List.of("extract"),
                          null)));
          assertThat(r.status()).as(r.raw()).isEqualTo(201);
          String graphId = r.body().get("id").asText();
          Map<String, String> jobs = jobIds(r.body());
          JsonNode load = api.get("/api/v1/jobs/" + jobs.get("load")).body();
          assertThat(load.get("status").asText()).isEqualTo("PENDING");
          assertThat(load.at("/waiting/reason").asText()).isEqualTo("DEPENDENCIES");
          assertThat(load.at("/graph/id").asText()).isEqualTo(graphId);
          assertThat(load.at("/graph/node").asText()).isEqualTo("load");
          assertThat(load.at("/waiting/waiting_for"))
              .extracting(JsonNode::asText)
              .containsExactlyInAnyOrder(jobs.get("left"), jobs.get("right"));

          String selector =
              URLEncoder.encode("jobplane.io/graph=" + graphId, StandardCharsets.UTF_8);
          HttpResponse<Stream<String>> stream = watch("/api/v1/jobs?labels=" + selector);
          assertThat(stream.statusCode()).isEqualTo(200);
          // a job outside the graph, on the same queue, ends while the graph is watched
          Api.Response outsider =
              api.post(
                  "/api/v1/jobs",
                  "{\"name\":\"outsider\",\"type\":\"shell\",\"queue\":\"graph\","
                      + "\"command\":[\"true\"]}");
          assertThat(outsider.status()).isEqualTo(201);
          Files.createFile(go);
          Set<String> graphJobs = Set.copyOf(jobs.values());
          try (Stream<String> lines = stream.body()) {
            Iterator<String> it = lines.iterator();
            while (true) {
              JsonNode event = nextEvent(it);
              assertThat(event.get("job_id").asText()).isIn(graphJobs);
              if (event.get("job_id").asText().equals(jobs.get("load"))
                  && event.at("/event/to_status").asText().equals("SUCCEEDED")) {
                break;
              }
            }
          }
          assertThat(Files.readAllLines(order)).containsExactly("extract", "left", "right", "load");
          JsonNode done = graph(graphId);
          assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
          assertThat(done.get("nodes"))
              .extracting(n -> n.get("status").asText())
              .containsOnly("SUCCEEDED");
        });
  }

  @Test
  void aFailedNodeSkipsItsDescendantsAndFailsTheGraph() throws Exception {
    Api.Response r =
        submit(
            List.of(
                node("parent", "exit 3", List.of(), null),
                node("child", "true", List.of("parent"), null),
                node("grandchild", "true", List.of("child"), null),
                node("cleanup", "true", List.of("parent"), "finished")));
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    String id = r.body().get("id").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> !graph(id).get("status").asText().equals("RUNNING"));
    JsonNode done = graph(id);
    assertThat(done.get("status").asText()).isEqualTo("FAILED");
    Map<String, String> statuses = new HashMap<>();
    done.get("nodes").forEach(n -> statuses.put(n.get("name").asText(), n.get("status").asText()));
    assertThat(statuses)
        .containsEntry("parent", "FAILED")
        .containsEntry("child", "SKIPPED")
        .containsEntry("grandchild", "SKIPPED")
        .containsEntry("cleanup", "SUCCEEDED");
    assertThat(api.get("/api/v1/job-graphs?limit=100").body().get("items"))
        .extracting(g -> g.get("id").asText())
        .contains(id);
  }

  @Test
  void aCycleIsRefusedNamingItAndStoresNothing() throws Exception {
    long before = api.get("/api/v1/jobs?limit=1").body().get("total").asLong();
    Api.Response r =
        submit(
            List.of(
                node("a", "true", List.of(), null),
                node("b", "true", List.of("a", "d"), null),
                node("c", "true", List.of("b"), null),
                node("d", "true", List.of("c"), null)));
    assertThat(r.status()).as(r.raw()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.raw()).contains("nodes[2].depends_on[0]", "b -> d -> c -> b");
    assertThat(api.get("/api/v1/jobs?limit=1").body().get("total").asLong()).isEqualTo(before);
  }
}
