package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerApiTest extends ApiTestSupport {

  private static final String JOB =
      "{\"name\":\"n\",\"type\":\"etl\",\"command\":[\"sh\",\"-c\",\"echo $A\"],"
          + "\"env\":{\"A\":\"1\"}";

  private JsonNode claim(String body) {
    Response r = post(WORKER, "api/v1/leases", body);
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(200);
    return remembered(json);
  }

  private Response report(String id, int task, String what, String body) {
    return post(
        WORKER, "api/v1/leases/" + id + "/tasks/" + task + "/" + what, proven(id, task, body));
  }

  @Test
  void a_worker_claims_a_task_with_its_command_and_the_job_starts() {
    JsonNode job = submitted(JOB + ",\"parallelism\":2}");
    assertThat(job.path("command").toString()).isEqualTo("[\"sh\",\"-c\",\"echo $A\"]");
    assertThat(job.path("env").path("A").asText()).isEqualTo("1");

    JsonNode leases =
        claim("{\"worker_id\":\"w-1\",\"hostname\":\"build-01\",\"max_tasks\":5}").get("leases");
    assertThat(leases).hasSize(2);
    JsonNode lease = leases.get(0);
    assertThat(lease.path("job_id").asText()).isEqualTo(job.path("id").asText());
    assertThat(lease.path("epoch").asLong()).isEqualTo(1);
    assertThat(lease.path("lease_token").asText()).startsWith("jpl_lease_").hasSizeGreaterThan(40);
    assertThat(lease.path("attempt").asInt()).isEqualTo(1);
    assertThat(lease.path("parallelism").asInt()).isEqualTo(2);
    assertThat(lease.path("expires_at").asText()).isNotBlank();
    assertThat(lease.at("/job/command/0").asText()).isEqualTo("sh");
    assertThat(lease.at("/job/env/A").asText()).isEqualTo("1");
    assertThat(lease.path("checkpoint").isNull()).isTrue();

    JsonNode read = json(get("api/v1/jobs/" + job.path("id").asText()));
    assertThat(read.path("status").asText()).isEqualTo("RUNNING");
    assertThat(read.path("tasks").path("total").asInt()).isEqualTo(2);
    assertThat(read.path("tasks").path("running").asInt()).isEqualTo(2);
    assertThat(claim("{\"worker_id\":\"w-2\"}").get("leases")).isEmpty();
  }

  @Test
  void a_claim_naming_a_null_queue_or_type_is_400_not_a_server_error() {
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"queues\":[null]}"), 400);
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"types\":[\"etl\",null]}"), 400);
  }

  @Test
  void heartbeat_complete_and_the_job_reads_back_with_output_tasks_and_items() {
    String id = submitted(JOB + "}").path("id").asText();
    claim("{\"worker_id\":\"w-1\"}");
    Response beat =
        report(
            id,
            0,
            "heartbeat",
            "{\"epoch\":1,\"progress\":42,\"items\":{\"total\":10,\"completed\":4,\"failed\":1},"
                + "\"metrics\":{\"records_in\":5},\"message\":\"working\"}");
    JsonNode answer = json(beat);
    assertThat(beat.getStatus()).as(answer.toString()).isEqualTo(200);
    assertThat(answer.path("stop").isNull()).isTrue();
    assertThat(get("api/v1/jobs/" + id).readEntity(String.class)).contains("\"progress\":42");
    JsonNode logs = json(get("api/v1/jobs/" + id + "/logs"));
    assertThat(logs.at("/data/0/message").asText()).isEqualTo("working");
    assertThat(logs.at("/data/0/stream").asText()).isEqualTo("status");
    assertThat(json(get("api/v1/jobs/" + id + "/metrics")).path("records_in").asLong())
        .isEqualTo(5);

    Response done =
        report(id, 0, "complete", "{\"epoch\":1,\"output\":{\"rows\":7},\"changed\":true}");
    assertThat(json(done).path("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode job = json(get("api/v1/jobs/" + id));
    assertThat(job.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.at("/output/rows").asInt()).isEqualTo(7);
    assertThat(job.path("changed").asBoolean()).isTrue();
    assertThat(job.at("/tasks/completed").asInt()).isEqualTo(1);
    assertThat(job.at("/items/pending").asLong()).isEqualTo(5);

    JsonNode tasks = json(get("api/v1/jobs/" + id + "/tasks"));
    assertThat(tasks.at("/tasks/0/worker_id").asText()).isEqualTo("w-1");
    assertThat(tasks.at("/tasks/0/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(tasks.at("/summary/completed").asInt()).isEqualTo(1);
  }

  @Test
  void a_stale_epoch_is_refused_with_409_stale_lease() {
    String id = submitted(JOB + "}").path("id").asText();
    claim("{\"worker_id\":\"w-1\"}");
    JsonNode p = problem(report(id, 0, "heartbeat", "{\"epoch\":7}"), 409);
    assertThat(p.path("type").asText()).endsWith("/stale-lease");
    assertThat(p.path("detail").asText()).contains("stale lease");
    clock.advance(Duration.ofSeconds(31));
    problem(report(id, 0, "complete", "{\"epoch\":1}"), 409);
  }

  @Test
  void stop_reaches_the_worker_in_the_heartbeat_and_the_ack_stops_the_job() {
    String id = submitted(JOB + "}").path("id").asText();
    claim("{\"worker_id\":\"w-1\"}");
    Response stop =
        post(
            SUBMITTER,
            "api/v1/jobs/" + id + "/stop",
            "{\"mode\":\"immediate\",\"timeout_seconds\":15}");
    assertThat(stop.getStatus()).isEqualTo(202);
    JsonNode answer = json(report(id, 0, "heartbeat", "{\"epoch\":1}"));
    assertThat(answer.at("/stop/mode").asText()).isEqualTo("immediate");
    assertThat(answer.at("/stop/deadline").asText()).isNotBlank();
    assertThat(report(id, 0, "stopped", "{\"epoch\":1}").getStatus()).isEqualTo(200);
    assertThat(json(get("api/v1/jobs/" + id)).path("status").asText()).isEqualTo("STOPPED");
  }

  @Test
  void three_tasks_with_one_failing_for_good_end_partially_failed() {
    String id = submitted(JOB + ",\"parallelism\":3}").path("id").asText();
    claim("{\"worker_id\":\"w-1\",\"max_tasks\":3}");
    report(id, 0, "complete", "{\"epoch\":1}");
    Response failed =
        report(
            id,
            1,
            "fail",
            "{\"epoch\":1,\"reason\":\"EXIT_CODE\",\"message\":\"exit code 2\","
                + "\"retryable\":false,\"exit_code\":2}");
    assertThat(json(failed).path("exit_code").asInt()).isEqualTo(2);
    report(id, 2, "complete", "{\"epoch\":1}");
    JsonNode job = json(get("api/v1/jobs/" + id));
    assertThat(job.path("status").asText()).isEqualTo("PARTIALLY_FAILED");
    assertThat(job.at("/tasks/total").asInt()).isEqualTo(3);
    assertThat(job.at("/tasks/completed").asInt()).isEqualTo(2);
    assertThat(job.at("/tasks/failed").asInt()).isEqualTo(1);
  }

  @Test
  void invalid_requests_are_400_problems_naming_the_field() {
    String id = submitted(JOB + "}").path("id").asText();
    problem(post(WORKER, "api/v1/leases", "{\"hostname\":\"h\"}"), 400);
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"lease_seconds\":1}"), 400);
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"max_tasks\":101}"), 400);
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"queues\":[]}"), 400);
    problem(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"bogus\":1}"), 400);
    assertThat(errorNames(problem(report(id, 0, "heartbeat", "{}"), 400))).contains("epoch");
    assertThat(errorNames(problem(report(id, -1, "heartbeat", "{\"epoch\":1}"), 400)))
        .contains("task_index");
    assertThat(errorNames(problem(report("nope", 0, "complete", "{\"epoch\":1}"), 400)))
        .contains("job_id");
    problem(report(id, 0, "heartbeat", "{\"epoch\":1,\"progress\":101}"), 409);
    assertThat(
            errorNames(
                problem(
                    submit(
                        "{\"name\":\"n\",\"type\":\"t\",\"command\":[\"x\"],"
                            + "\"env\":{\"1BAD\":\"v\"}}"),
                    400)))
        .contains("env");
    problem(submit("{\"name\":\"n\",\"type\":\"t\",\"command\":[]}"), 400);
    problem(submit("{\"name\":\"n\",\"type\":\"t\",\"env\":{\"A\":\"v\"}}"), 400);
  }

  @Test
  void only_workers_use_the_protocol_and_only_readers_read_tasks() {
    String id = submitted(JOB + "}").path("id").asText();
    problem(post(VIEWER, "api/v1/leases", "{\"worker_id\":\"w\"}"), 403);
    problem(post(SUBMITTER, "api/v1/leases/" + id + "/tasks/0/heartbeat", "{\"epoch\":1}"), 403);
    assertThat(post(ADMIN, "api/v1/leases", "{\"worker_id\":\"w\"}").getStatus()).isEqualTo(200);
    problem(get(WORKER, "api/v1/jobs/" + id + "/tasks"), 403);
    assertThat(get(VIEWER, "api/v1/jobs/" + id + "/tasks").getStatus()).isEqualTo(200);
    problem(get(VIEWER, "api/v1/jobs/00000000-0000-0000-0000-000000000000/tasks"), 404);
  }
}
