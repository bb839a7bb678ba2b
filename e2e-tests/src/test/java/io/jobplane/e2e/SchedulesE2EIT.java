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
      for (JsonNode job : jobs) {
        assertThat(job.at("/schedule/id").asText()).isEqualTo(id);
        assertThat(Instant.parse(job.at("/schedule/scheduled_time").asText()).getEpochSecond())
            .hasToString(job.at("/labels/jobplane.io~1scheduled-time").asText());
      }

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

  @Test
  void twoServersOnOneDatabaseStartEachTickOnceAndOneCarriesOnWhenTheOtherDies() throws Exception {
    try (JobplaneProcess first = JobplaneProcess.start(dataDir.resolve("first"));
        JobplaneProcess second = first.replica(dataDir.resolve("second"))) {
      String token = JobplaneProcess.adminToken(dataDir.resolve("first"));
      Api api = new Api(first.baseUrl(), token);
      Api.Response created =
          api.post(
              "/api/v1/schedules",
              SCHEDULE.replace("\"successful_jobs_history_limit\":2", "\"max_catch_up\":0"));
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      String id = created.body().get("id").asText();

      await().atMost(Duration.ofSeconds(30)).until(() -> jobsOf(api, id).size() >= 5);
      // the replica dies (the first one holds the embedded database both use)
      second.kill9();
      int beforeKill = jobsOf(api, id).size();
      await().atMost(Duration.ofSeconds(30)).until(() -> jobsOf(api, id).size() >= beforeKill + 3);

      List<JsonNode> jobs = jobsOf(api, id);
      Set<String> times = new HashSet<>();
      jobs.forEach(j -> times.add(j.at("/schedule/scheduled_time").asText()));
      assertThat(times).as("each tick started once by two tickers: " + jobs).hasSize(jobs.size());
    }
  }

  @Test
  void forbidKeepsOneJobReplaceStopsTheOlderAndAllowStartsEveryTick() throws Exception {
    try (JobplaneProcess server = JobplaneProcess.start(dataDir)) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
      // no worker serves these queues: every job stays QUEUED until its schedule acts on it
      String allow = policySchedule(api, "allow");
      String forbid = policySchedule(api, "forbid");
      String replace = policySchedule(api, "replace");

      await().atMost(Duration.ofSeconds(30)).until(() -> jobsOf(api, allow).size() >= 4);
      // a tick later than the fourth, so REPLACE has replaced at least three times
      await().atMost(Duration.ofSeconds(10)).until(() -> jobsOf(api, replace).size() >= 2);

      assertThat(statuses(api, allow)).containsOnly("QUEUED");
      assertThat(statuses(api, forbid))
          .as("FORBID starts nothing while its job waits")
          .containsExactly("QUEUED");
      List<String> replaced = statuses(api, replace);
      assertThat(replaced.get(0)).as("the newest runs: " + replaced).isEqualTo("QUEUED");
      assertThat(replaced.subList(1, replaced.size())).containsOnly("STOPPED");
      JsonNode forbidden = api.get("/api/v1/schedules/" + forbid).body();
      assertThat(Instant.parse(forbidden.get("last_scheduled_time").asText()))
          .as("FORBID skips ticks but keeps counting them")
          .isAfter(
              Instant.parse(jobsOf(api, forbid).get(0).at("/schedule/scheduled_time").asText()));
    }
  }

  private static String policySchedule(Api api, String policy) throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/schedules",
            "{\"name\":\""
                + policy
                + "\",\"cron\":\"*/1 * * * * *\",\"time_zone\":\"UTC\","
                + "\"concurrency_policy\":\""
                + policy
                + "\",\"failed_jobs_history_limit\":100,"
                + "\"job\":{\"name\":\"held\",\"type\":\"held\",\"queue\":\"nobody-"
                + policy
                + "\"}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  /** The statuses of a schedule's jobs, newest scheduled time first. */
  private static List<String> statuses(Api api, String schedule) throws Exception {
    return jobsOf(api, schedule).stream()
        .sorted(
            java.util.Comparator.comparing(
                    (JsonNode j) -> j.at("/schedule/scheduled_time").asText())
                .reversed())
        .map(j -> j.get("status").asText())
        .toList();
  }

  private static List<JsonNode> succeeded(Api api, String schedule) throws Exception {
    return jobsOf(api, schedule).stream()
        .filter(j -> j.get("status").asText().equals("SUCCEEDED"))
        .toList();
  }

  private static List<JsonNode> jobsOf(Api api, String schedule) throws Exception {
    String selector = URLEncoder.encode("jobplane.io/schedule=" + schedule, StandardCharsets.UTF_8);
    List<JsonNode> jobs = new ArrayList<>();
    Api.Response page = api.get("/api/v1/jobs?limit=100&labels=" + selector);
    assertThat(page.status()).as(page.raw()).isEqualTo(200);
    page.body().get("items").forEach(jobs::add);
    return jobs;
  }
}
