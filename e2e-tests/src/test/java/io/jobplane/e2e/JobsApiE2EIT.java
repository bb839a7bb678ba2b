package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jobs API over real HTTP, against the real wiring and an embedded PostgreSQL. */
class JobsApiE2EIT {

  @TempDir static Path dataDir;
  static JobplaneProcess server;
  static Api api;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir);
    api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String submit(String name, String type, String project, String labels)
      throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\""
                + name
                + "\",\"type\":\""
                + type
                + "\",\"project\":\""
                + project
                + "\",\"labels\":"
                + labels
                + ",\"priority\":"
                + name.length()
                + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.headers().firstValue("Location"))
        .hasValueSatisfying(
            l -> assertThat(l).endsWith("/api/v1/jobs/" + r.body().get("id").asText()));
    return r.body().get("id").asText();
  }

  @Test
  void submitListFilterSortAndPageThroughJobs() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ids.add(submit("train-" + i, "train", "ml", "{\"team\":\"vision\",\"gpu\":\"a100\"}"));
    }
    submit("ingest", "dataset-ingest", "data", "{\"team\":\"platform\"}");

    JsonNode page = api.get("/api/v1/jobs?project=ml&labels=gpu,team%3Dvision&limit=10").body();
    assertThat(page.get("total").asLong()).isEqualTo(25);
    assertThat(page.get("items")).hasSize(10);
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.get("status_counts").get("QUEUED").asLong()).isEqualTo(25);

    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      String q =
          "/api/v1/jobs?project=ml&sort=-priority,name&limit=7"
              + (cursor == null ? "" : "&cursor=" + cursor);
      JsonNode p = api.get(q).body();
      p.get("items").forEach(item -> assertThat(seen.add(item.get("id").asText())).isTrue());
      cursor = p.get("next_cursor").isNull() ? null : p.get("next_cursor").asText();
    } while (cursor != null);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);

    JsonNode searched = api.get("/api/v1/jobs?search=INGEST").body();
    assertThat(searched.get("items")).hasSize(1);
  }

  @Test
  void stopRestartAndTheTimelineKeepEveryRun() throws Exception {
    String id = submit("report", "report", "finance", "{}");
    JsonNode stopped = api.post("/api/v1/jobs/" + id + "/stop", "{\"mode\":\"immediate\"}").body();
    assertThat(stopped.get("status").asText()).isEqualTo("STOPPED");
    assertThat(stopped.get("running_desired").asBoolean()).isFalse();

    Api.Response again = api.post("/api/v1/jobs/" + id + "/stop", "{}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.contentType()).startsWith("application/problem+json");

    JsonNode restarted = api.post("/api/v1/jobs/" + id + "/restart", "{\"parallelism\":4}").body();
    assertThat(restarted.get("status").asText()).isEqualTo("QUEUED");
    assertThat(restarted.get("run_id").asInt()).isEqualTo(2);
    assertThat(restarted.get("parallelism").asInt()).isEqualTo(4);

    JsonNode events = api.get("/api/v1/jobs/" + id + "/events").body().get("items");
    List<String> types = new ArrayList<>();
    events.forEach(e -> types.add(e.get("event").asText() + "@" + e.get("run_id").asInt()));
    assertThat(types).containsExactly("SUBMITTED@1", "QUEUED@1", "STOPPED@1", "RESTARTED@2");

    assertThat(api.delete("/api/v1/jobs/" + id).status()).isEqualTo(409);
    api.post("/api/v1/jobs/" + id + "/stop", "{}");
    assertThat(api.delete("/api/v1/jobs/" + id).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
  }

  @Test
  void badInputGetsAProblemAndStoresNothing() throws Exception {
    long before = api.get("/api/v1/jobs?limit=1").body().get("total").asLong();
    String[] bodies = {
      "{not json",
      "{\"name\":\"x\",\"type\":\"etl\",\"status\":\"SUCCEEDED\"}",
      "{\"name\":\"x\",\"type\":\"etl\",\"priority\":\"high\"}",
      "{\"name\":\"x\",\"type\":\"ETL; drop table jobs\"}",
      "{\"type\":\"etl\"}",
    };
    for (String body : bodies) {
      Api.Response r = api.post("/api/v1/jobs", body);
      assertThat(r.status()).as(body).isEqualTo(400);
      assertThat(r.contentType()).startsWith("application/problem+json");
      assertThat(r.body().get("status").asInt()).isEqualTo(400);
    }
    assertThat(api.get("/api/v1/jobs?limit=101").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs?sort=input").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs?colour=blue").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs/not-a-uuid").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs?limit=1").body().get("total").asLong()).isEqualTo(before);
  }

  @Test
  void withoutATokenOnlyHealthIsOpen() throws Exception {
    Api anonymous = new Api(server.baseUrl(), null);
    assertThat(anonymous.get("/healthz").status()).isEqualTo(200);
    assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
    Api.Response denied = anonymous.get("/api/v1/jobs");
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.contentType()).startsWith("application/problem+json");
    assertThat(new Api(server.baseUrl(), "wrong").get("/api/v1/jobs").status()).isEqualTo(401);
    assertThat(anonymous.get("/metrics").status()).isEqualTo(401);
  }

  @Test
  void metricsAndTheOpenApiDocumentAreServed() throws Exception {
    api.get("/api/v1/jobs");
    Api.Response metrics = api.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.raw())
        .contains("http_server_requests")
        .contains("jobplane_jobs")
        .contains("hikaricp_connections")
        .contains("jvm_memory_used_bytes");
    JsonNode openapi = api.get("/openapi.json").body();
    assertThat(openapi.get("openapi").asText()).startsWith("3.");
    assertThat(openapi.get("paths").has("/api/v1/jobs")).isTrue();
  }
}
