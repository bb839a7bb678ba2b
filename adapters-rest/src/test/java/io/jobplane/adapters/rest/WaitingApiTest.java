package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** GET /api/v1/jobs/{id} tells why a queued job still waits. */
class WaitingApiTest extends ApiTestSupport {

  private static final String JOB = "{\"name\":\"n\",\"type\":\"etl\",\"queue\":\"gpu\"";

  private JsonNode waiting(String id) {
    Response r = get(VIEWER, "api/v1/jobs/" + id);
    JsonNode job = json(r);
    assertThat(r.getStatus()).as(job.toString()).isEqualTo(200);
    return job.path("waiting");
  }

  private JsonNode claim(String body) {
    Response r = post(WORKER, "api/v1/leases", body);
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(200);
    return json.get("leases");
  }

  @Test
  void a_queued_job_without_workers_says_no_worker_polled_its_queue() {
    String id = submitted(JOB + "}").path("id").asText();
    JsonNode waiting = waiting(id);
    assertThat(waiting.path("reason").asText()).isEqualTo("NO_WORKER");
    assertThat(waiting.path("position").asLong()).isEqualTo(1);
    assertThat(waiting.path("position_is_lower_bound").isBoolean()).isTrue();
    assertThat(waiting.path("position_is_lower_bound").asBoolean()).isFalse();
    assertThat(waiting.path("active_workers").asInt()).isZero();
    assertThat(waiting.has("until")).isTrue();
    assertThat(waiting.path("until").isNull()).isTrue();
    assertThat(waiting.path("message").asText())
        .isEqualTo("no worker has polled queue 'gpu' in the last 30 s");
  }

  @Test
  void next_workers_busy_backoff_and_no_field_once_running() {
    String first = submitted(JOB + ",\"priority\":5}").path("id").asText();
    clock.advance(Duration.ofSeconds(1));
    String second = submitted(JOB + "}").path("id").asText();
    claim("{\"worker_id\":\"w-0\",\"queues\":[\"other\"]}"); // polls another queue only
    assertThat(waiting(second).path("reason").asText()).isEqualTo("NO_WORKER");
    assertThat(waiting(second).path("position").asLong()).isEqualTo(2);

    claim("{\"worker_id\":\"w-1\",\"queues\":[\"gpu\"],\"max_tasks\":1}");
    assertThat(json(get("api/v1/jobs/" + first)).has("waiting")).isFalse(); // RUNNING
    JsonNode next = waiting(second);
    assertThat(next.path("reason").asText()).isEqualTo("NEXT");
    assertThat(next.path("position").asLong()).isEqualTo(1);
    assertThat(next.path("active_workers").asInt()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // created later than the second job
    String third = submitted(JOB + "}").path("id").asText();
    JsonNode busy = waiting(third);
    assertThat(busy.path("reason").asText()).isEqualTo("WORKERS_BUSY");
    assertThat(busy.path("position").asLong()).isEqualTo(2);

    JsonNode lease = claim("{\"worker_id\":\"w-1\",\"queues\":[\"gpu\"]}").get(0);
    assertThat(lease.path("job_id").asText()).isEqualTo(second);
    Response failed =
        post(
            WORKER,
            "api/v1/leases/" + second + "/tasks/0/fail",
            "{\"epoch\":"
                + lease.path("epoch").asLong()
                + ",\"lease_token\":\""
                + lease.path("lease_token").asText()
                + "\",\"retryable\":true}");
    assertThat(failed.getStatus()).isEqualTo(200);
    JsonNode backoff = waiting(second);
    assertThat(backoff.path("reason").asText()).isEqualTo("BACKOFF");
    assertThat(backoff.path("until").asText()).isEqualTo(clock.instant().plusSeconds(2).toString());
  }

  @Test
  void past_the_cap_the_position_is_the_cap_as_a_lower_bound() {
    // 1,000 tasks of a higher-priority job ahead: the count stops there
    submitted(JOB + ",\"priority\":9,\"parallelism\":1000}");
    String id = submitted(JOB + "}").path("id").asText();
    JsonNode waiting = waiting(id);
    assertThat(waiting.path("position").asLong()).isEqualTo(1000);
    assertThat(waiting.path("position_is_lower_bound").asBoolean()).isTrue();
    assertThat(waiting.path("message").asText())
        .isEqualTo("no worker has polled queue 'gpu' in the last 30 s");
  }

  @Test
  void a_suspended_job_says_to_resume_it_and_a_finished_job_has_no_waiting() {
    String id = submitted(JOB + ",\"suspend\":true}").path("id").asText();
    JsonNode waiting = waiting(id);
    assertThat(waiting.path("reason").asText()).isEqualTo("SUSPENDED");
    assertThat(waiting.path("position").isNull()).isTrue();
    assertThat(waiting.path("position_is_lower_bound").asBoolean()).isFalse();
    assertThat(waiting.path("message").asText()).contains("resume the job to queue it");

    Response stopped = post(SUBMITTER, "api/v1/jobs/" + id + "/stop", "{}");
    assertThat(stopped.getStatus()).isEqualTo(200);
    assertThat(json(get("api/v1/jobs/" + id)).has("waiting")).isFalse();
    // list items never carry it
    assertThat(json(get("api/v1/jobs")).at("/items/0").has("waiting")).isFalse();
  }
}
