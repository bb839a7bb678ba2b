package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seconds-level schedule on the real server: it starts a job every second, a worker finishes
 * them, and the history limit keeps only the newest succeeded ones.
 */
class SchedulesE2EIT {

  @TempDir Path dataDir;

  private static final String SCHEDULE =
      "{\"name\":\"every second\",\"cron\":\"*/1 * * * * *\",\"time_zone\":\"Europe/Berlin\","
          + "\"successful_jobs_history_limit\":2,"
          + "\"job\":{\"name\":\"tick\",\"type\":\"tick\",\"queue\":\"scheduled\"}}";

  @Test
  void aSecondsScheduleStartsAJobEachSecondAndItsHistoryStaysBounded() throws Exception {
    try (JobplaneProcess server = JobplaneProcess.start(dataDir)) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));

      Api.Response bad = api.post("/api/v1/schedules", SCHEDULE.replace("*/1 *", "61 *"));
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body().at("/errors/0/field").asText()).isEqualTo("cron");

      Api.Response created = api.post("/api/v1/schedules", SCHEDULE);
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      String id = created.body().get("id").asText();
      ProtocolWorker worker = new ProtocolWorker(api, "scheduled-worker");

      // a few seconds of ticks (bounded for a loaded machine), each job finished once claimable
      Set<String> completed = new HashSet<>();
      Instant until = Instant.now().plusSeconds(30);
      while (completed.size() < 4 && Instant.now().isBefore(until)) {
        for (ProtocolWorker.Lease lease : worker.claim("scheduled", 10, 60)) {
          assertThat(worker.complete(lease).status()).isEqualTo(200);
          completed.add(lease.jobId());
        }
        Thread.sleep(100);
      }
      assertThat(completed).hasSizeGreaterThanOrEqualTo(4);

      // the next tick deletes the succeeded jobs beyond the newest two
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(succeeded(api, id)).hasSizeLessThanOrEqualTo(2));
      List<JsonNode> jobs = jobsOf(api, id);
      Set<String> times = new HashSet<>();
      jobs.forEach(j -> times.add(j.at("/labels/jobplane.io~1scheduled-time").asText()));
      assertThat(times).as("one job per scheduled time").hasSize(jobs.size());

      JsonNode schedule = api.get("/api/v1/schedules/" + id).body();
      assertThat(schedule.get("last_scheduled_time").asText()).isNotBlank();
      assertThat(Instant.parse(schedule.get("next_run_time").asText()))
          .isAfter(Instant.parse(schedule.get("last_scheduled_time").asText()));
      assertThat(schedule.at("/last_job/id").asText()).isNotBlank();

      Api.Response manual = api.post("/api/v1/schedules/" + id + "/trigger", "");
      assertThat(manual.status()).as(manual.raw()).isEqualTo(201);
      assertThat(api.delete("/api/v1/schedules/" + id).status()).isEqualTo(204);
      assertThat(api.get("/api/v1/schedules/" + id).status()).isEqualTo(404);
    }
  }

  private static List<JsonNode> succeeded(Api api, String schedule) throws Exception {
    return jobsOf(api, schedule).stream()
        .filter(j -> j.get("status").asText().equals("SUCCEEDED"))
        .toList();
  }

  private static List<JsonNode> jobsOf(Api api, String schedule) throws Exception {
    String selector = URLEncoder.encode("jobplane.io/schedule=" + schedule, StandardCharsets.UTF_8);
    List<JsonNode> jobs = new ArrayList<>();
    api.get("/api/v1/jobs?limit=100&labels=" + selector).body().get("items").forEach(jobs::add);
    return jobs;
  }
}
