package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The telemetry read side and the live watch against the real server and PostgreSQL. */
class TelemetryE2EIT {

  @TempDir static Path dataDir;
  static JobplaneProcess server;
  static Api api;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir);
    token = JobplaneProcess.adminToken(dataDir);
    api = new Api(server.baseUrl(), token);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String submit(String name) throws Exception {
    Api.Response r = api.post("/api/v1/jobs", "{\"name\":\"" + name + "\",\"type\":\"etl\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  /** Reads {@code count} events (id and data) off an SSE stream, skipping comments. */
  private static List<String[]> events(Iterator<String> lines, int count) {
    List<String[]> events = new ArrayList<>();
    String id = null;
    StringBuilder data = new StringBuilder();
    while (events.size() < count && lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          events.add(new String[] {id, data.toString()});
        }
        data.setLength(0);
      } else if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    return events;
  }

  private static HttpResponse<Stream<String>> watch(String path, String lastEventId)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofLines());
  }

  @Test
  void aJobStreamIsLiveAndResumesAfterTheLastEventId() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          String id = submit("watched");
          List<String[]> first;
          HttpResponse<Stream<String>> r = watch("/api/v1/jobs/" + id + "/events", null);
          assertThat(r.statusCode()).isEqualTo(200);
          try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            first = events(it, 2);
            assertThat(first).hasSize(2);
            assertThat(api.post("/api/v1/jobs/" + id + "/suspend", "").status()).isEqualTo(200);
            JsonNode live = Api.JSON.readTree(events(it, 1).get(0)[1]);
            assertThat(live.at("/event/to_status").asText()).isEqualTo("SUSPENDED");
            assertThat(live.get("job_id").asText()).isEqualTo(id);
          }
          try (Stream<String> lines = watch("/api/v1/jobs", first.get(0)[0]).body()) {
            List<String[]> resumed = events(lines.iterator(), 1);
            assertThat(resumed.get(0)[0]).isEqualTo(first.get(1)[0]);
          }
        });
  }

  @Test
  void telemetryReadsAnswerForAJobThatReportedNothingYet() throws Exception {
    String id = submit("quiet");
    Api.Response job = api.get("/api/v1/jobs/" + id);
    assertThat(job.body().has("estimated_seconds_remaining")).isTrue();
    assertThat(api.get("/api/v1/jobs/" + id + "/metrics").body().get("records_in").asLong())
        .isZero();
    assertThat(api.get("/api/v1/jobs/" + id + "/metric-groups").body().has("sources")).isTrue();
    assertThat(api.get("/api/v1/jobs/" + id + "/logs").body().get("data")).isEmpty();
    assertThat(api.get("/api/v1/jobs/" + id + "/errors").body().get("total").asLong()).isZero();
    assertThat(api.get("/api/v1/jobs/" + id + "/checkpoints").body().get("data")).isEmpty();
    assertThat(api.get("/api/v1/jobs/" + id + "/checkpoints/chk-1").status()).isEqualTo(404);
    Api.Response csv = api.get("/api/v1/jobs/" + id + "/output?format=csv");
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.raw().trim()).isEqualTo("id,timestamp,operator_id,task_index,run_id,record");
    // JSON stays the answer of the watch paths without Accept: text/event-stream
    assertThat(api.get("/api/v1/jobs/" + id + "/events").contentType())
        .startsWith("application/json");
  }
}
