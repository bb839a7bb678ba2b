package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * depends_on through the API with a real worker: a diamond runs in order, a failed job's dependents
 * end SKIPPED, and a job that names an unknown job is refused.
 */
class DependenciesE2EIT {

  @TempDir static Path dir;
  static JobplaneProcess server;
  static Api api;
  static Process worker;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dir.resolve("data"));
    api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dir.resolve("data")));
    worker =
        JobplaneProcess.startWorker(
            server.baseUrl(),
            dir.resolve("data").resolve("admin.token"),
            dir.resolve("worker.log"),
            "--queue",
            "dag",
            "--concurrency",
            "4");
  }

  @AfterAll
  static void stop() throws Exception {
    worker.toHandle().destroyForcibly();
    worker.waitFor(10, TimeUnit.SECONDS);
    server.close();
  }

  /** A job that appends its name to the order file; {@code extra} adds JSON fields. */
  private static Api.Response submit(String name, String script, String extra) throws Exception {
    String body =
        "{\"name\":\""
            + name
            + "\",\"type\":\"shell\",\"queue\":\"dag\",\"max_attempts\":1,"
            + "\"command\":[\"sh\",\"-c\","
            + Api.JSON.writeValueAsString(script)
            + "]"
            + extra
            + "}";
    return api.post("/api/v1/jobs", body);
  }

  private static String id(Api.Response r) {
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static String dependsOn(String... ids) throws Exception {
    return ",\"depends_on\":" + Api.JSON.writeValueAsString(List.of(ids));
  }

  private static JsonNode job(String id) throws Exception {
    return api.get("/api/v1/jobs/" + id).body();
  }

  private static String status(String id) throws Exception {
    return job(id).get("status").asText();
  }

  @Test
  void aDiamondRunsEachJobAfterTheJobsItDependsOn() throws Exception {
    Path order = dir.resolve("order");
    Path go = dir.resolve("go");
    String record = "echo %s >> " + order;
    // a waits for the test's go-ahead, so the others are seen waiting first
    String a =
        id(
            submit(
                "a",
                "while [ ! -f " + go + " ]; do sleep 0.2; done; " + record.formatted("a"),
                ""));
    String b = id(submit("b", record.formatted("b"), dependsOn(a)));
    String c = id(submit("c", "sleep 1; " + record.formatted("c"), dependsOn(a)));
    String d = id(submit("d", record.formatted("d"), dependsOn(b, c)));

    JsonNode waiting = job(d);
    assertThat(waiting.get("status").asText()).isEqualTo("PENDING");
    assertThat(waiting.at("/waiting/reason").asText()).isEqualTo("DEPENDENCIES");
    assertThat(waiting.at("/waiting/waiting_for"))
        .extracting(JsonNode::asText)
        .containsExactly(b, c);

    Files.createFile(go);
    await().atMost(Duration.ofSeconds(90)).until(() -> status(d).equals("SUCCEEDED"));
    List<String> ran = Files.readAllLines(order);
    assertThat(ran.get(0)).isEqualTo("a");
    assertThat(ran.subList(1, 3)).containsExactlyInAnyOrder("b", "c");
    assertThat(ran.get(3)).isEqualTo("d");
  }

  @Test
  void theJobsWaitingForAFailedJobAreSkippedAndAFinishedConditionRunsAnyway() throws Exception {
    String parent = id(submit("parent", "exit 3", ""));
    String child = id(submit("child", "true", dependsOn(parent)));
    String grandchild = id(submit("grandchild", "true", dependsOn(child)));
    String cleanup =
        id(submit("cleanup", "true", dependsOn(parent) + ",\"dependency_condition\":\"finished\""));

    await().atMost(Duration.ofSeconds(90)).until(() -> status(cleanup).equals("SUCCEEDED"));
    assertThat(status(parent)).isEqualTo("FAILED");
    assertThat(status(child)).isEqualTo("SKIPPED");
    assertThat(status(grandchild)).isEqualTo("SKIPPED");
    assertThat(job(grandchild).at("/error/reason").asText()).isEqualTo("DEPENDENCY_NOT_MET");
    JsonNode counts = api.get("/api/v1/jobs?queue=dag&status=skipped").body();
    assertThat(counts.get("items"))
        .extracting(j -> j.get("id").asText())
        .contains(child, grandchild);
    // the ends are in the alerting metrics too, skipped ones with their reason
    List<String> metrics = api.get("/metrics").raw().lines().toList();
    assertThat(metrics)
        .anyMatch(
            l ->
                l.startsWith("jobplane_jobs_finished_total{")
                    && l.contains("status=\"SKIPPED\"")
                    && l.contains("reason=\"DEPENDENCY_NOT_MET\""))
        .anyMatch(
            l ->
                l.startsWith("jobplane_job_duration_seconds_count{")
                    && l.contains("queue=\"dag\"")
                    && l.contains("status=\"FAILED\""))
        .anyMatch(l -> l.startsWith("jobplane_job_queue_wait_seconds_bucket{"));
  }

  @Test
  void aJobNamingAnUnknownJobIsRefusedWithAProblemNamingTheEntry() throws Exception {
    String known = id(submit("known", "true", ""));
    Api.Response refused =
        submit("orphan", "true", dependsOn(known, "7d3c4a0e-0000-4000-8000-00000000dead"));

    assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
    assertThat(refused.raw()).contains("depends_on[1]").doesNotContain("depends_on[0]");
    assertThat(api.get("/api/v1/jobs?search=orphan").body().get("items")).isEmpty();
  }
}
