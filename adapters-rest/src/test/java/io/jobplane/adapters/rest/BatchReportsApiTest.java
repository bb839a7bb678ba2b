package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/leases/reports}: many reports in one call, each answered on its own. */
class BatchReportsApiTest extends ApiTestSupport {

  private static final String REPORTS = "api/v1/leases/reports";

  private String job(String project, int priority) {
    return submitted(
            "{\"name\":\"n\",\"type\":\"etl\",\"project\":\""
                + project
                + "\",\"priority\":"
                + priority
                + ",\"command\":[\"true\"]}")
        .path("id")
        .asText();
  }

  private JsonNode claim(String token, int max) {
    Response r = post(token, "api/v1/leases", "{\"worker_id\":\"w\",\"max_tasks\":" + max + "}");
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(200);
    return remembered(json).get("leases");
  }

  private String report(String id, long epoch, String type, String fields) {
    return "{\"job_id\":\""
        + id
        + "\",\"task_index\":0,\"epoch\":"
        + epoch
        + ",\"lease_token\":\""
        + leaseToken(id, 0)
        + "\",\"type\":\""
        + type
        + "\""
        + (fields.isEmpty() ? "" : "," + fields)
        + "}";
  }

  private static String batch(String... reports) {
    return "{\"reports\":[" + String.join(",", reports) + "]}";
  }

  private JsonNode results(String token, String body) {
    Response r = post(token, REPORTS, body);
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(200);
    return json.get("results");
  }

  @Test
  void a_stale_lease_in_a_batch_is_refused_alone_and_the_others_are_accepted() {
    String a = job("default", 9);
    String b = job("default", 5);
    assertThat(claim(WORKER, 2)).hasSize(2);

    JsonNode results =
        results(
            WORKER,
            batch(
                report(
                    a,
                    1,
                    "heartbeat",
                    "\"progress\":42,\"items\":{\"total\":10,\"completed\":4,\"failed\":0},"
                        + "\"metrics\":{\"records_in\":5},\"message\":\"working\""),
                report(b, 7, "complete", "\"output\":{\"rows\":1}"),
                report(b, 1, "complete", "\"output\":{\"rows\":2},\"changed\":true"),
                report(a, 1, "fail", "\"reason\":\"EXIT_CODE\",\"retryable\":false")));

    assertThat(results).hasSize(4);
    JsonNode beat = results.get(0);
    assertThat(beat.path("accepted").asBoolean()).isTrue();
    assertThat(beat.path("job_id").asText()).isEqualTo(a);
    assertThat(beat.path("expires_at").asText()).isNotBlank();
    assertThat(beat.has("stop")).isTrue();
    assertThat(beat.path("stop").isNull()).isTrue();

    JsonNode stale = results.get(1);
    assertThat(stale.path("accepted").asBoolean()).isFalse();
    assertThat(stale.path("job_id").asText()).isEqualTo(b);
    assertThat(stale.path("epoch").asLong()).isEqualTo(7);
    assertThat(stale.path("status").asInt()).isEqualTo(409);
    assertThat(stale.path("type").asText()).isEqualTo("https://jobplane.io/problems/stale-lease");
    assertThat(stale.path("title").asText()).isEqualTo("Stale lease");
    assertThat(stale.path("detail").asText()).contains("stale lease");
    assertThat(stale.has("task")).isFalse();

    assertThat(results.at("/2/accepted").asBoolean()).isTrue();
    assertThat(results.at("/2/task/status").asText()).isEqualTo("SUCCEEDED");
    assertThat(results.at("/2/task/output/rows").asInt()).isEqualTo(2);
    assertThat(results.at("/3/task/status").asText()).isEqualTo("FAILED");

    assertThat(json(get("api/v1/jobs/" + b)).path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(json(get("api/v1/jobs/" + b)).at("/output/rows").asInt()).isEqualTo(2);
    JsonNode logs = json(get("api/v1/jobs/" + a + "/logs"));
    assertThat(logs.at("/data/0/message").asText()).isEqualTo("working");
    assertThat(json(get("api/v1/jobs/" + a + "/metrics")).path("records_in").asLong()).isEqualTo(5);
  }

  @Test
  void a_job_the_token_cannot_see_is_a_404_result_that_reveals_nothing() {
    String billing = job("billing", 9);
    claim(WORKER, 1);
    String etl = job("etl", 1);
    assertThat(claim(ETL_WORKER, 5).get(0).path("job_id").asText()).isEqualTo(etl);

    JsonNode results =
        results(
            ETL_WORKER,
            batch(
                report(billing, 5, "heartbeat", ""),
                report(billing, 1, "complete", ""),
                report("00000000-0000-0000-0000-000000000000", 1, "stopped", ""),
                report(etl, 1, "complete", "")));

    for (int i = 0; i < 3; i++) {
      JsonNode r = results.get(i);
      assertThat(r.path("accepted").asBoolean()).isFalse();
      assertThat(r.path("status").asInt()).isEqualTo(404);
      assertThat(r.path("type").asText()).isEqualTo("https://jobplane.io/problems/not-found");
      assertThat(r.path("detail").asText()).isEqualTo("job not found");
    }
    // what a single call on the hidden job answers, word for word
    JsonNode single =
        problem(
            post(
                ETL_WORKER,
                "api/v1/leases/" + billing + "/tasks/0/heartbeat",
                proven(billing, 0, "{\"epoch\":5}")),
            404);
    assertThat(results.at("/0/detail").asText()).isEqualTo(single.path("detail").asText());
    assertThat(results.at("/0/title").asText()).isEqualTo(single.path("title").asText());
    assertThat(results.at("/3/accepted").asBoolean()).isTrue();
    assertThat(json(get("api/v1/jobs/" + billing)).path("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void an_invalid_batch_is_a_400_naming_the_field_with_its_index() {
    String id = job("default", 1);
    claim(WORKER, 1);
    String ok = report(id, 1, "heartbeat", "");

    assertThat(
            errorNames(
                problem(
                    post(
                        WORKER,
                        REPORTS,
                        batch(
                            ok,
                            "{\"job_id\":\"" + id + "\",\"task_index\":0,\"type\":\"heartbeat\"}")),
                    400)))
        .containsExactly("reports[1].epoch");
    assertThat(
            errorNames(
                problem(
                    post(WORKER, REPORTS, batch(ok, ok, ok, report(id, 1, "finish", ""))), 400)))
        .containsExactly("reports[3].type");
    assertThat(
            errorNames(
                problem(
                    post(WORKER, REPORTS, batch(report(id, 1, "heartbeat", "\"output\":{}"))),
                    400)))
        .containsExactly("reports[0].output");
    assertThat(
            errorNames(
                problem(
                    post(
                        WORKER, REPORTS, batch(ok, report(id, 1, "heartbeat", "\"progress\":101"))),
                    400)))
        .containsExactly("reports[1].progress");
    assertThat(
            errorNames(
                problem(post(WORKER, REPORTS, batch(report("nope", 1, "stopped", ""))), 400)))
        .containsExactly("reports[0].job_id");
    assertThat(
            errorNames(
                problem(
                    post(
                        WORKER,
                        REPORTS,
                        batch(
                            ok,
                            "{\"job_id\":\""
                                + id
                                + "\",\"task_index\":0,\"epoch\":\"x\",\"type\":\"stopped\"}")),
                    400)))
        .containsExactly("reports[1].epoch");
    assertThat(
            errorNames(
                problem(
                    post(WORKER, REPORTS, batch(report(id, 1, "stopped", "\"bogus\":1"))), 400)))
        .containsExactly("reports[0].bogus");
    assertThat(errorNames(problem(post(WORKER, REPORTS, batch()), 400))).containsExactly("reports");
    assertThat(
            errorNames(
                problem(
                    post(
                        WORKER,
                        REPORTS,
                        batch(Collections.nCopies(101, ok).toArray(String[]::new))),
                    400)))
        .containsExactly("reports");
    problem(post(WORKER, REPORTS, "{}"), 400);
    // nothing of the refused batches was applied
    assertThat(json(get("api/v1/jobs/" + id + "/tasks")).at("/tasks/0/status").asText())
        .isEqualTo("RUNNING");
    assertThat(results(WORKER, batch(ok)).at("/0/accepted").asBoolean()).isTrue();
  }

  @Test
  void only_workers_report_in_batches() {
    String id = job("default", 1);
    claim(WORKER, 1);
    problem(post(SUBMITTER, REPORTS, batch(report(id, 1, "heartbeat", ""))), 403);
    problem(post(VIEWER, REPORTS, batch(report(id, 1, "heartbeat", ""))), 403);
    assertThat(results(ADMIN, batch(report(id, 1, "heartbeat", ""))).at("/0/accepted").asBoolean())
        .isTrue();
  }

  @Test
  void the_batch_call_is_documented_with_a_description_for_every_response() {
    JsonNode op = json(get(null, "openapi.json")).at("/paths/~1api~1v1~1leases~1reports/post");
    assertThat(op.path("operationId").asText()).isEqualTo("reportOnLeases");
    assertThat(op.at("/responses/200/description").asText()).isNotBlank();
    assertThat(op.at("/requestBody/content/application~1json/schema/$ref").asText())
        .endsWith("LeaseReportsRequest");
  }
}
