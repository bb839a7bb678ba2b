package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets end to end: stored through the API, referenced by a job's env, handed by a real {@code
 * jobplane worker} to the job's process, and nowhere else: not the job as an admin reads it, its
 * events, its logs, the list, or the server's own output.
 */
class SecretsE2EIT {

  private static final String VALUE = "e2e-secret-" + UUID.randomUUID();

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

  private Path worker(String queue) throws Exception {
    Path log = scratch.resolve("worker-" + workers.size() + ".log");
    workers.add(
        JobplaneProcess.startWorker(
            server.baseUrl(), dataDir.resolve("admin.token"), log, "--queue", queue));
    return log;
  }

  private static Api.Response putSecret(String name, String json) throws Exception {
    return api.exchange(
        "PUT",
        "/api/v1/projects/default/secrets/" + name,
        java.util.Map.of("Content-Type", "application/json"),
        json);
  }

  /** A job whose process writes $DB_PASSWORD into {@code out}: to a file, not to its logs. */
  private static String job(String queue, Path out, boolean suspend) throws Exception {
    String body =
        "{\"name\":\"uses-secret\",\"type\":\"shell\",\"queue\":\""
            + queue
            + "\",\"max_attempts\":1,\"suspend\":"
            + suspend
            + ",\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString("printf %s \"$DB_PASSWORD\" > " + out + "; echo done")
            + "],\"env\":{\"MODE\":\"e2e\",\"DB_PASSWORD\":{\"secret\":\"db\",\"key\":\"PASSWORD\"}}}";
    Api.Response r = api.post("/api/v1/jobs", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static String status(String id) throws Exception {
    return api.get("/api/v1/jobs/" + id).body().get("status").asText();
  }

  @Test
  void theWorkersProcessGetsTheValueAndNoReadOfTheJobShowsIt() throws Exception {
    Api.Response created =
        putSecret("db", "{\"data\":{\"PASSWORD\":\"" + VALUE + "\",\"USER\":\"app\"}}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.raw()).doesNotContain(VALUE);
    Path key = dataDir.resolve("secrets.key");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");

    Path workerLog = worker("e2e-secrets");
    Path out = scratch.resolve("password.out");
    String id = job("e2e-secrets", out, false);
    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("SUCCEEDED"));

    assertThat(Files.readString(out)).as("the job's process got the value").isEqualTo(VALUE);
    JsonNode asAdmin = api.get("/api/v1/jobs/" + id).body();
    assertThat(asAdmin.at("/env/DB_PASSWORD/secret").asText()).isEqualTo("db");
    assertThat(asAdmin.at("/env/MODE").asText()).isEqualTo("e2e");
    for (String path :
        List.of(
            "/api/v1/jobs/" + id,
            "/api/v1/jobs/" + id + "?verbose=true",
            "/api/v1/jobs",
            "/api/v1/jobs/" + id + "/events",
            "/api/v1/jobs/" + id + "/logs",
            "/api/v1/jobs/" + id + "/tasks",
            "/api/v1/projects/default/secrets",
            "/api/v1/projects/default/secrets/db")) {
      Api.Response r = api.get(path);
      assertThat(r.status()).as(path).isEqualTo(200);
      assertThat(r.raw()).as(path).doesNotContain(VALUE);
    }
    String keyText = Files.readString(key).strip();
    assertThat(String.join("\n", server.output()))
        .as("the server's log")
        .doesNotContain(VALUE)
        .doesNotContain(keyText);
    assertThat(Files.readString(workerLog)).as("the worker's log").doesNotContain(VALUE);
  }

  @Test
  void aSecretDeletedBeforeTheClaimFailsTheJobWithoutRunningIt() throws Exception {
    assertThat(putSecret("db", "{\"data\":{\"PASSWORD\":\"" + VALUE + "\"}}").status())
        .isIn(200, 201);
    Path out = scratch.resolve("never.out");
    String id = job("e2e-secrets-gone", out, true);
    assertThat(api.delete("/api/v1/projects/default/secrets/db").status()).isEqualTo(204);
    worker("e2e-secrets-gone");
    assertThat(api.post("/api/v1/jobs/" + id + "/resume", "").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(60)).until(() -> status(id).equals("FAILED"));
    JsonNode failed = api.get("/api/v1/jobs/" + id).body();
    assertThat(failed.at("/error/reason").asText()).isEqualTo("SECRET_UNAVAILABLE");
    assertThat(failed.at("/error/message").asText()).contains("DB_PASSWORD");
    assertThat(out).as("the process never started").doesNotExist();
    assertThat(
            api.post(
                    "/api/v1/jobs",
                    "{\"name\":\"x\",\"type\":\"shell\",\"command\":[\"true\"],"
                        + "\"env\":{\"P\":{\"secret\":\"db\",\"key\":\"PASSWORD\"}}}")
                .status())
        .as("a new job cannot reference it")
        .isEqualTo(400);
  }
}
