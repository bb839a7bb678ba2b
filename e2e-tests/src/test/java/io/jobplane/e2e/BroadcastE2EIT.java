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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker identity and targeting with real {@code jobplane worker} processes (issue 16): labelled
 * workers listed by {@code GET /api/v1/workers} per tenant, a {@code worker_selector} that keeps a
 * job from a worker that does not match, a broadcast that runs exactly once on each matching
 * worker, and a worker killed before it claims its part of a broadcast (AGENT_LOST).
 */
class BroadcastE2EIT {

  @TempDir static Path dir;
  @TempDir Path scratch;
  static JobplaneProcess server;
  static Api admin;
  static Tokens tokens;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("ops-fleet", Role.WORKER, "ops")
            .add("ops-viewer", Role.VIEWER, "ops")
            .add("other-viewer", Role.VIEWER, "other");
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server =
        JobplaneProcess.start(
            dir.resolve("data"),
            "--tokens-file",
            tokensFile.toString(),
            "--sweep-interval-ms",
            "200");
    admin = new Api(server.baseUrl(), tokens.token("admin"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.toHandle().destroyForcibly();
      w.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process worker(String name, String queue, String... more) throws Exception {
    List<String> args = new ArrayList<>(List.of("--name", name, "--queue", queue));
    args.addAll(List.of(more));
    Process p =
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dir.resolve("tokens").resolve("ops-fleet.token"),
            scratch.resolve(name + ".log"),
            args.toArray(String[]::new));
    workers.add(p);
    return p;
  }

  private static List<String> liveWorkers(Api as, String queue) throws Exception {
    Api.Response r = as.get("/api/v1/workers?queue=" + queue);
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    r.body().get("workers").forEach(w -> names.add(w.get("name").asText()));
    return names;
  }

  private static String submit(String body) throws Exception {
    Api.Response r = admin.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static JsonNode job(String id) throws Exception {
    return admin.get("/api/v1/jobs/" + id).body();
  }

  private static String status(String id) throws Exception {
    return job(id).get("status").asText();
  }

  @Test
  void aBroadcastRunsExactlyOnceOnEachMatchingWorkerAndShowsEveryAgent() throws Exception {
    worker("agent-eu", "bcast", "--label", "role=agent", "--label", "zone=eu");
    worker("agent-us", "bcast", "--label", "role=agent", "--label", "zone=us");
    worker("agent-ap", "bcast", "--label", "role=agent", "--label", "zone=ap");
    await().atMost(Duration.ofSeconds(60)).until(() -> liveWorkers(admin, "bcast").size() == 3);

    // the workers list per tenant: the fleet's token serves ops, so ops sees it and other not
    Api.Response listed =
        admin.as(tokens.token("ops-viewer")).get("/api/v1/workers?labels=zone%3Deu");
    assertThat(listed.status()).as(listed.raw()).isEqualTo(200);
    JsonNode eu = listed.body().get("workers");
    assertThat(eu).hasSize(1);
    assertThat(eu.get(0).get("name").asText()).isEqualTo("agent-eu");
    assertThat(eu.get(0).get("labels").get("role").asText()).isEqualTo("agent");
    assertThat(liveWorkers(admin.as(tokens.token("other-viewer")), "bcast")).isEmpty();

    Path runs = scratch.resolve("runs.txt");
    String id =
        submit(
            "{\"name\":\"fleet-check\",\"type\":\"shell\",\"project\":\"ops\",\"queue\":\"bcast\","
                + "\"placement\":{\"mode\":\"broadcast\",\"worker_selector\":\"role=agent\"},"
                + "\"command\":[\"sh\",\"-c\","
                + Api.JSON.writeValueAsString(
                    "echo \"$JOBPLANE_TASK_INDEX\" >> '"
                        + runs
                        + "'; echo '##jobplane output {\"ok\":true}'; echo '##jobplane changed=true'")
                + "]}");
    await().atMost(Duration.ofSeconds(90)).until(() -> status(id).equals("SUCCEEDED"));

    JsonNode done = job(id);
    assertThat(done.get("parallelism").asInt()).isEqualTo(3);
    JsonNode agents = done.get("agents");
    assertThat(agents.size()).isEqualTo(3);
    for (String name : List.of("agent-ap", "agent-eu", "agent-us")) {
      JsonNode a = agents.get(name);
      assertThat(a).as(name + " in " + agents).isNotNull();
      assertThat(a.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(a.get("output").get("ok").asBoolean()).isTrue();
      assertThat(a.get("changed").asBoolean()).isTrue();
      assertThat(a.get("hostname").asText()).isNotEmpty();
      assertThat(a.get("duration_ms").asLong()).isNotNegative();
    }
    // each task ran once, on the worker it was bound to
    assertThat(Files.readAllLines(runs)).containsExactlyInAnyOrder("0", "1", "2");
    List<String> ranOn = new ArrayList<>();
    admin
        .get("/api/v1/jobs/" + id + "/tasks")
        .body()
        .get("tasks")
        .forEach(t -> ranOn.add(t.get("worker_id").asText()));
    assertThat(ranOn).containsExactlyInAnyOrder("agent-ap", "agent-eu", "agent-us");
  }

  @Test
  void aWorkerSelectorKeepsAJobFromAWorkerThatDoesNotMatch() throws Exception {
    worker("sel-cpu", "sel", "--label", "gpu=none");
    await().atMost(Duration.ofSeconds(60)).until(() -> liveWorkers(admin, "sel").size() == 1);
    String id =
        submit(
            "{\"name\":\"train\",\"type\":\"shell\",\"project\":\"ops\",\"queue\":\"sel\","
                + "\"worker_selector\":\"gpu=a100\",\"command\":[\"true\"]}");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> job(id).path("waiting").path("reason").asText().equals("NO_MATCHING_WORKER"));
    assertThat(job(id).get("waiting").get("message").asText()).contains("gpu=a100");
    // the non-matching worker polls all along and never takes it
    Thread.sleep(2_000);
    assertThat(status(id)).isEqualTo("QUEUED");

    worker("sel-gpu", "sel", "--label", "gpu=a100");
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));
    JsonNode task = admin.get("/api/v1/jobs/" + id + "/tasks").body().get("tasks").get(0);
    assertThat(task.get("worker_id").asText()).isEqualTo("sel-gpu");
  }

  @Test
  void aWorkerKilledBeforeClaimingItsPartLeavesItAgentLostAndTheJobPartiallyFailed()
      throws Exception {
    // polling (no waiting claim), so the killed worker leaves no claim behind on the server
    worker("lost-a", "lost", "--label", "role=agent", "--wait-seconds", "0");
    worker("lost-b", "lost", "--label", "role=agent", "--wait-seconds", "0");
    Process doomed = worker("lost-c", "lost", "--label", "role=agent", "--wait-seconds", "0");
    await().atMost(Duration.ofSeconds(60)).until(() -> liveWorkers(admin, "lost").size() == 3);
    doomed.toHandle().destroyForcibly();
    assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();

    // still counted live for up to 30 s: the broadcast binds a task to it
    String id =
        submit(
            "{\"name\":\"fleet-check\",\"type\":\"shell\",\"project\":\"ops\",\"queue\":\"lost\","
                + "\"placement\":{\"mode\":\"broadcast\",\"worker_selector\":\"role=agent\"},"
                + "\"command\":[\"true\"]}");
    assertThat(job(id).get("parallelism").asInt()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(90)).until(() -> status(id).equals("PARTIALLY_FAILED"));

    JsonNode agents = job(id).get("agents");
    assertThat(agents.get("lost-a").get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(agents.get("lost-b").get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode lost = agents.get("lost-c");
    assertThat(lost.get("status").asText()).isEqualTo("FAILED");
    assertThat(lost.get("error").get("reason").asText()).isEqualTo("AGENT_LOST");
    assertThat(liveWorkers(admin, "lost")).containsExactly("lost-a", "lost-b");
  }
}
