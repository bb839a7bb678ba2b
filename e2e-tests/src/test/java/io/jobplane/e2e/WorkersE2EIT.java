package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Jobs run by real {@code jobplane worker} processes against a real server: the worker protocol end
 * to end, including a worker that dies mid-job.
 */
class WorkersE2EIT {

  @TempDir static Path dataDir;
  @TempDir Path scratch;
  static JobplaneProcess server;
  static Api api;
  private final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir, "--sweep-interval-ms", "200");
    api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
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

  private Process worker(String queue, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--queue", queue));
    all.addAll(List.of(args));
    Process p =
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dataDir.resolve("admin.token"),
            scratch.resolve("worker-" + workers.size() + ".log"),
            all.toArray(String[]::new));
    workers.add(p);
    return p;
  }

  private static String submit(String queue, String script, int maxAttempts) throws Exception {
    String body =
        "{\"name\":\"e2e\",\"type\":\"shell\",\"queue\":\""
            + queue
            + "\",\"max_attempts\":"
            + maxAttempts
            + ",\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString(script)
            + "]}";
    Api.Response r = api.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static JsonNode job(String id) throws Exception {
    return api.get("/api/v1/jobs/" + id).body();
  }

  private static String status(String id) throws Exception {
    return job(id).get("status").asText();
  }

  @Test
  void aWorkerRunsASubmittedCommandToSuccessWithItsOutput() throws Exception {
    worker("e2e-success");
    String id =
        submit(
            "e2e-success",
            "echo starting; echo '##jobplane progress=50'; echo '##jobplane output {\"rows\":3}';"
                + " exit 0",
            1);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));
    JsonNode done = job(id);
    assertThat(done.get("progress").asInt()).isEqualTo(100);
    assertThat(done.get("output").get("rows").asInt()).isEqualTo(3);
    JsonNode tasks = api.get("/api/v1/jobs/" + id + "/tasks").body();
    assertThat(tasks.get("tasks").get(0).get("status").asText()).isEqualTo("SUCCEEDED");
    List<String> events = new ArrayList<>();
    api.get("/api/v1/jobs/" + id + "/events")
        .body()
        .get("items")
        .forEach(e -> events.add(e.get("event").asText()));
    assertThat(events).containsSubsequence("SUBMITTED", "QUEUED", "STARTED", "SUCCEEDED");
    JsonNode logs = api.get("/api/v1/jobs/" + id + "/logs").body().get("data");
    List<String> lines = new ArrayList<>();
    logs.forEach(l -> lines.add(l.get("message").asText()));
    assertThat(lines).contains("starting");
  }

  @Test
  void aRestartFromACheckpointHandsItToTheNextRunsWorker() throws Exception {
    worker("e2e-checkpoint");
    String id =
        submit(
            "e2e-checkpoint",
            "case \"$JOBPLANE_CHECKPOINT\" in"
                + " *chk-1*) echo '##jobplane output {\"resumed\":true}' ;;"
                + " *) echo '##jobplane checkpoint id=chk-1 location=file:///tmp/chk-1'; exit 1 ;;"
                + " esac",
            1);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("FAILED"));
    JsonNode checkpoints = api.get("/api/v1/jobs/" + id + "/checkpoints").body().get("data");
    assertThat(checkpoints).hasSize(1);
    assertThat(api.post("/api/v1/jobs/" + id + "/restart", "{\"checkpoint_id\":\"nope\"}").status())
        .isEqualTo(400);
    Api.Response restarted =
        api.post("/api/v1/jobs/" + id + "/restart", "{\"checkpoint_id\":\"chk-1\"}");
    assertThat(restarted.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));
    JsonNode done = job(id);
    assertThat(done.get("run_id").asInt()).isEqualTo(2);
    assertThat(done.get("output").get("resumed").asBoolean()).isTrue();
  }

  @Test
  void aFailingCommandIsRetriedUntilItsAttemptsRunOut() throws Exception {
    worker("e2e-fail");
    String id = submit("e2e-fail", "echo broken >&2; exit 3", 2);
    await().atMost(Duration.ofSeconds(90)).until(() -> status(id).equals("FAILED"));
    JsonNode failed = job(id);
    assertThat(failed.get("attempt").asInt()).isEqualTo(2);
    assertThat(failed.get("error").get("message").asText()).contains("exit code 3");
    List<String> events = new ArrayList<>();
    api.get("/api/v1/jobs/" + id + "/events")
        .body()
        .get("items")
        .forEach(e -> events.add(e.get("event").asText()));
    assertThat(events).contains("RETRIED").endsWith("FAILED");
  }

  @Test
  void stopReachesARunningCommand() throws Exception {
    worker("e2e-stop");
    String id = submit("e2e-stop", "sleep 120", 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("RUNNING"));
    Api.Response stop =
        api.post("/api/v1/jobs/" + id + "/stop", "{\"mode\":\"graceful\",\"timeout_seconds\":5}");
    assertThat(stop.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> status(id).equals("STOPPED"));
  }

  @Test
  void aJobOfAWorkerKilledMidRunIsFinishedByAnotherAfterItsLeaseExpires() throws Exception {
    Process doomed = worker("e2e-crash", "--lease-seconds", "5");
    Path marker = scratch.resolve("first-attempt-started");
    String id =
        submit(
            "e2e-crash",
            "if [ \"$JOBPLANE_ATTEMPT\" = 1 ]; then touch " + marker + "; sleep 120; fi; echo done",
            3);
    await().atMost(Duration.ofSeconds(60)).until(() -> marker.toFile().exists());
    doomed.toHandle().destroyForcibly(); // kill -9: no fail report, the lease just stops
    doomed.waitFor(10, TimeUnit.SECONDS);
    worker("e2e-crash", "--lease-seconds", "5");
    await().atMost(Duration.ofSeconds(90)).until(() -> status(id).equals("SUCCEEDED"));
    assertThat(job(id).get("attempt").asInt()).isEqualTo(2);
  }

  @Test
  void aRunningJobSurvivesTheServerBeingKilledAndRestarted() throws Exception {
    Path ownData = scratch.resolve("server-restart");
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    JobplaneProcess first = JobplaneProcess.start(ownData, port);
    Api own = new Api(first.baseUrl(), JobplaneProcess.adminToken(ownData));
    // the lease must outlast the restart: a killed server with its embedded PostgreSQL took more
    // than the default 30 s lease to come back on a loaded 2-core machine, and an expired lease
    // is retried by design
    Process w =
        JobplaneProcess.startWorker(
            first.baseUrl(),
            ownData.resolve("admin.token"),
            scratch.resolve("restart-worker.log"),
            "--lease-seconds",
            "120");
    workers.add(w);
    Path started = scratch.resolve("survivor-started");
    String body =
        "{\"name\":\"survivor\",\"type\":\"shell\","
            + "\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString("touch " + started + "; sleep 8; echo done")
            + "]}";
    String id = own.post("/api/v1/jobs", body).body().get("id").asText();
    // RUNNING alone is not enough: the claim commits before its answer reaches the worker, and a
    // server killed in between leaves a lease nobody holds, retried only when it expires (by
    // design). The command having started proves the worker holds the lease.
    await().atMost(Duration.ofSeconds(60)).until(() -> started.toFile().exists());
    first.kill9();

    try (JobplaneProcess second = JobplaneProcess.start(ownData, port)) {
      Api again = new Api(second.baseUrl(), JobplaneProcess.adminToken(ownData));
      try {
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    again
                        .get("/api/v1/jobs/" + id)
                        .body()
                        .get("status")
                        .asText()
                        .equals("SUCCEEDED"));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // what the three processes said is the only way to tell which of them lost the report
        throw new AssertionError(
            "job "
                + id
                + ": "
                + again.get("/api/v1/jobs/" + id).raw()
                + "\n--- first server ---\n"
                + String.join("\n", first.output())
                + "\n--- second server ---\n"
                + String.join("\n", second.output())
                + "\n--- worker ---\n"
                + java.nio.file.Files.readString(scratch.resolve("restart-worker.log")),
            e);
      }
      assertThat(again.get("/api/v1/jobs/" + id).body().get("attempt").asInt())
          .as("the worker kept its lease through the restart; nothing ran twice")
          .isEqualTo(1);
    }
  }
}
