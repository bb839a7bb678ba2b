package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.jobplane.application.testing.InMemoryLeaseVerifier;
import io.jobplane.domain.JobId;
import io.jobplane.domain.telemetry.ProgressSample;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worker telemetry writes (fenced by the lease epoch and token) and the read API over them. */
class TelemetryApiTest extends ApiTestSupport {

  private static final String PROJECT = io.jobplane.domain.JobDefinition.DEFAULT_PROJECT;

  private String id;
  private String task;

  @BeforeEach
  void leasedJob() {
    id = submitted("{\"name\":\"pipeline\",\"type\":\"stream\"}").get("id").asText();
    leases.grant(JobId.parse(id), 0, PROJECT, 3);
    task = "api/v1/leases/" + id + "/tasks/0/";
  }

  private Response report(String what, String json) {
    return post(WORKER, task + what, withToken(json));
  }

  /** The body with the token of the leases this test grants, as their holder sends it. */
  private static String withToken(String json) {
    return json.startsWith("{\"epoch\"") && !json.contains("lease_token")
        ? "{\"lease_token\":\"" + InMemoryLeaseVerifier.TOKEN + "\"," + json.substring(1)
        : json;
  }

  private JsonNode ok(Response r) {
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(200);
    return body;
  }

  @Test
  void logs_are_appended_filtered_and_paged_by_cursor() {
    JsonNode accepted =
        ok(
            report(
                "logs",
                "{\"epoch\":3,\"lines\":["
                    + "{\"timestamp\":\"2026-11-23T12:00:00Z\",\"level\":\"info\","
                    + "\"stream\":\"stdout\",\"message\":\"starting\",\"operator_id\":\"source_1\"},"
                    + "{\"timestamp\":\"2026-11-23T12:00:01Z\",\"level\":\"error\","
                    + "\"message\":\"boom\"},"
                    + "{\"level\":\"warn\",\"message\":\"slow\"}]}"));
    assertThat(accepted.get("accepted").asInt()).isEqualTo(3);

    JsonNode page = ok(get(VIEWER, "api/v1/jobs/" + id + "/logs?limit=2"));
    assertThat(page.get("data")).hasSize(2);
    assertThat(page.at("/data/0/message").asText()).isEqualTo("starting");
    assertThat(page.at("/data/0/operator_id").asText()).isEqualTo("source_1");
    assertThat(page.at("/data/0/task_index").asInt()).isZero();
    assertThat(page.at("/data/1/stream").asText()).isEqualTo("stderr");
    assertThat(page.get("has_more").asBoolean()).isTrue();
    JsonNode next =
        ok(get(VIEWER, "api/v1/jobs/" + id + "/logs?cursor=" + page.get("next_cursor").asText()));
    assertThat(next.at("/data/0/message").asText()).isEqualTo("slow");
    assertThat(next.get("next_cursor").isNull()).isTrue();

    assertThat(ok(get(VIEWER, "api/v1/jobs/" + id + "/logs?level=error")).get("data"))
        .extracting(n -> n.get("message").asText())
        .containsExactly("boom");
    assertThat(
            ok(get(VIEWER, "api/v1/jobs/" + id + "/logs?operator_id=source_1&task_index=0"))
                .get("data"))
        .hasSize(1);
    assertThat(
            ok(get(
                    VIEWER,
                    "api/v1/jobs/"
                        + id
                        + "/logs?since=2026-11-23T12:00:01Z&until=2026-11-23T12:00:02Z"))
                .get("data"))
        .hasSize(1);
    // error lines are also job errors
    JsonNode errors = ok(get(VIEWER, "api/v1/jobs/" + id + "/errors"));
    assertThat(errors.at("/data/0/message").asText()).isEqualTo("boom");
    assertThat(errors.at("/data/0/level").asText()).isEqualTo("error");
  }

  /** Each report (kind → body) answers 400 with a detail containing {@code text}. */
  private void eachIs400Saying(Map<String, String> reports, String text) {
    reports.forEach(
        (what, body) -> {
          JsonNode p = problem(report(what, body), 400);
          assertThat(p.get("detail").asText()).as(what).contains(text);
        });
  }

  @Test
  void a_null_element_in_a_report_list_is_400_naming_it_not_a_server_error() {
    Map<String, String> reports =
        Map.of(
            "logs", "{\"epoch\":3,\"lines\":[null]}",
            "errors", "{\"epoch\":3,\"errors\":[null]}",
            "output", "{\"epoch\":3,\"records\":[null]}",
            "heartbeat", "{\"epoch\":3,\"metrics\":{\"operators\":[null]}}");
    eachIs400Saying(reports, "[0]");
    assertThat(json(get("api/v1/jobs/" + id + "/logs")).get("data")).isEmpty();
  }

  @Test
  void nul_and_other_control_characters_in_worker_text_are_400_and_store_nothing() {
    Map<String, String> reports =
        Map.of(
            "logs", "{\"epoch\":3,\"lines\":[{\"level\":\"info\",\"message\":\"a\\u0000b\"}]}",
            "errors", "{\"epoch\":3,\"errors\":[{\"level\":\"error\",\"message\":\"x\\u0007\"}]}",
            "heartbeat", "{\"epoch\":3,\"message\":\"red \\u001b[31m\"}",
            "fail", "{\"epoch\":3,\"reason\":\"EXIT\",\"message\":\"a\\u0000\"}");
    eachIs400Saying(reports, "control characters");
    assertThat(json(get("api/v1/jobs/" + id + "/logs")).get("data")).isEmpty();
    assertThat(json(get("api/v1/jobs/" + id + "/errors")).get("data")).isEmpty();

    // tabs and line breaks are text
    ok(
        report(
            "logs", "{\"epoch\":3,\"lines\":[{\"level\":\"info\",\"message\":\"a\\tb\\r\\nc\"}]}"));
    assertThat(json(get("api/v1/jobs/" + id + "/logs")).get("data").get(0).get("message").asText())
        .isEqualTo("a\tb\r\nc");
  }

  @Test
  void bad_reports_and_bad_read_parameters_are_400() {
    assertThat(errorNames(problem(report("logs", "{\"lines\":[]}"), 400))).contains("epoch");
    problem(
        report("logs", "{\"epoch\":3,\"lines\":[{\"level\":\"debug\",\"message\":\"m\"}]}"), 400);
    problem(report("logs", "{\"epoch\":3,\"lines\":[{\"level\":\"info\",\"message\":\"\"}]}"), 400);
    problem(report("logs", "{\"epoch\":3,\"lines\":[],\"extra\":1}"), 400);
    problem(report("logs", "{\"epoch\":3,\"lines\":[]}"), 400);
    problem(
        post(
            WORKER,
            "api/v1/leases/" + id + "/tasks/-1/logs",
            withToken("{\"epoch\":3,\"lines\":[]}")),
        400);
    problem(
        post(
            WORKER,
            "api/v1/leases/not-a-uuid/tasks/0/logs",
            withToken("{\"epoch\":3,\"lines\":[]}")),
        400);
    problem(report("progress", "{\"epoch\":3,\"progress\":101}"), 400);
    problem(report("metrics", "{\"epoch\":3}"), 400);
    problem(report("metrics", "{\"epoch\":3,\"metrics\":{\"backpressure\":2}}"), 400);
    problem(
        report(
            "checkpoints",
            "{\"epoch\":3,\"checkpoint_id\":\"c 1\",\"checkpoint_epoch\":1,\"state\":\"completed\"}"),
        400);
    problem(report("output", "{\"epoch\":3,\"records\":[{\"operator_id\":\"s\"}]}"), 400);

    for (String bad :
        List.of(
            "logs?limit=0",
            "logs?limit=1001",
            "logs?level=fatal",
            "logs?since=yesterday",
            "logs?cursor=abc",
            "logs?task_index=-1",
            "logs?bogus=1",
            "errors?level=info",
            "errors?offset=-1",
            "checkpoints?completed=maybe",
            "output?format=xml",
            "operators/bad%20id/metrics")) {
      problem(get(VIEWER, "api/v1/jobs/" + id + "/" + bad), 400);
    }
  }

  @Test
  void stale_epochs_are_409_stale_lease_and_change_nothing() {
    JsonNode p =
        problem(
            report("logs", "{\"epoch\":2,\"lines\":[{\"level\":\"info\",\"message\":\"x\"}]}"),
            409);
    assertThat(p.get("type").asText()).endsWith("/stale-lease");
    leases.revoke(JobId.parse(id), 0);
    for (String what : List.of("logs", "errors", "output", "metrics", "progress", "checkpoints")) {
      String body =
          switch (what) {
            case "logs" -> "{\"epoch\":3,\"lines\":[{\"level\":\"info\",\"message\":\"x\"}]}";
            case "errors" -> "{\"epoch\":3,\"errors\":[{\"level\":\"error\",\"message\":\"x\"}]}";
            case "output" -> "{\"epoch\":3,\"records\":[{\"record\":{\"a\":1}}]}";
            case "metrics" -> "{\"epoch\":3,\"metrics\":{\"records_in\":1}}";
            case "progress" -> "{\"epoch\":3,\"progress\":5}";
            default ->
                "{\"epoch\":3,\"checkpoint_id\":\"chk-1\",\"checkpoint_epoch\":1,"
                    + "\"state\":\"completed\"}";
          };
      assertThat(problem(report(what, body), 409).get("type").asText()).endsWith("/stale-lease");
    }
    assertThat(ok(get(VIEWER, "api/v1/jobs/" + id + "/logs")).get("data")).isEmpty();
    // a task that was never leased is 404
    problem(
        post(
            WORKER,
            "api/v1/leases/" + id + "/tasks/7/progress",
            withToken("{\"epoch\":3,\"progress\":1}")),
        404);
  }

  @Test
  void a_worker_of_another_project_gets_404_before_any_lease_check_and_stores_nothing() {
    for (String what : List.of("logs", "errors", "progress", "output", "metrics")) {
      String body =
          switch (what) {
            case "logs" -> "{\"epoch\":3,\"lines\":[{\"level\":\"info\",\"message\":\"forged\"}]}";
            case "errors" -> "{\"epoch\":3,\"errors\":[{\"message\":\"forged\"}]}";
            case "progress" -> "{\"epoch\":3,\"progress\":99}";
            case "output" -> "{\"epoch\":3,\"records\":[{\"record\":{\"forged\":true}}]}";
            default -> "{\"epoch\":3,\"metrics\":{\"records_in\":1}}";
          };
      // the right epoch and token, a wrong epoch: the same 404, naming nothing of the lease
      for (String proof : List.of(withToken(body), body.replace("\"epoch\":3", "\"epoch\":4"))) {
        JsonNode p = problem(post(ETL_WORKER, task + what, withToken(proof)), 404);
        assertThat(p.toString()).doesNotContain("epoch").doesNotContain("lease is");
      }
    }
    assertThat(ok(get(VIEWER, "api/v1/jobs/" + id + "/logs")).get("data")).isEmpty();
    assertThat(ok(get(VIEWER, "api/v1/jobs/" + id + "/output")).get("data")).isEmpty();
  }

  @Test
  void the_right_epoch_without_the_lease_token_is_409_naming_no_epoch_and_none_at_all_is_400() {
    String body = "{\"epoch\":3,\"progress\":5}";
    assertThat(errorNames(problem(post(WORKER, task + "progress", body), 400)))
        .contains("lease_token");
    JsonNode stale =
        problem(
            post(
                WORKER,
                task + "progress",
                "{\"epoch\":3,\"lease_token\":\"jpl_lease_guess\",\"progress\":5}"),
            409);
    assertThat(stale.get("type").asText()).endsWith("/stale-lease");
    assertThat(stale.get("detail").asText()).doesNotContain("epoch 3").doesNotContain("RUNNING");
  }

  @Test
  void only_workers_report_and_only_readers_of_the_project_read() {
    String body = withToken("{\"epoch\":3,\"progress\":5}");
    problem(post(VIEWER, task + "progress", body), 403);
    problem(post(SUBMITTER, task + "progress", body), 403);
    ok(post(ADMIN, task + "progress", body));
    problem(post(null, task + "progress", body), 401);
    for (String read :
        List.of(
            "metrics",
            "metric-groups",
            "operators/source_1/metrics",
            "checkpoints",
            "checkpoints/chk-1",
            "logs",
            "errors",
            "output",
            "output?format=csv")) {
      problem(get(ETL, "api/v1/jobs/" + id + "/" + read), 404);
      problem(get(WORKER, "api/v1/jobs/" + id + "/" + read), 403);
    }
    problem(get(VIEWER, "api/v1/jobs/" + JobId.random() + "/metrics"), 404);
  }

  @Test
  void metrics_are_aggregated_over_tasks_per_operator_and_per_group() {
    leases.grant(JobId.parse(id), 1, PROJECT, 5);
    ok(
        report(
            "metrics",
            "{\"epoch\":3,\"metrics\":{\"records_in\":1000,\"records_out\":950,\"throughput\":100.0,"
                + "\"latency_p99\":250,\"backpressure\":0.15,\"operators\":["
                + "{\"operator_id\":\"source_1\",\"operator_name\":\"KafkaSource\",\"kind\":\"source\","
                + "\"records_in\":1000,\"records_out\":1000,\"throughput\":100.0},"
                + "{\"operator_id\":\"sink_1\",\"kind\":\"sink\",\"records_in\":950}]}}"));
    ok(
        post(
            WORKER,
            "api/v1/leases/" + id + "/tasks/1/metrics",
            withToken(
                "{\"epoch\":5,\"metrics\":{\"records_in\":500,\"latency_p99\":300,"
                    + "\"operators\":[{\"operator_id\":\"source_1\",\"kind\":\"source\","
                    + "\"records_out\":500,\"throughput\":50.0},"
                    + "{\"operator_id\":\"map_1\",\"records_out\":10}]}}")));
    JsonNode m = ok(get(VIEWER, "api/v1/jobs/" + id + "/metrics"));
    assertThat(m.get("tasks").asInt()).isEqualTo(2);
    assertThat(m.get("records_in").asLong()).isEqualTo(1500);
    assertThat(m.get("latency_p99").asDouble()).isEqualTo(300.0);
    assertThat(m.get("operators"))
        .extracting(o -> o.get("operator_id").asText())
        .containsExactly("source_1", "sink_1", "map_1");

    JsonNode op = ok(get(VIEWER, "api/v1/jobs/" + id + "/operators/source_1/metrics"));
    assertThat(op.get("operator_name").asText()).isEqualTo("KafkaSource");
    assertThat(op.get("subtasks").asInt()).isEqualTo(2);
    assertThat(op.at("/metrics/records_out").asLong()).isEqualTo(1500);
    assertThat(op.at("/subtask_metrics/1/subtask_index").asInt()).isEqualTo(1);
    assertThat(op.at("/subtask_metrics/1/records_out").asLong()).isEqualTo(500);
    problem(get(VIEWER, "api/v1/jobs/" + id + "/operators/nope/metrics"), 404);

    JsonNode groups = ok(get(VIEWER, "api/v1/jobs/" + id + "/metric-groups"));
    assertThat(groups.at("/sources/total_records").asLong()).isEqualTo(1500);
    assertThat(groups.at("/sources/throughput").asDouble()).isEqualTo(150.0);
    assertThat(groups.at("/sinks/total_records").asLong()).isEqualTo(950);
    assertThat(groups.at("/transforms/operators/0").asText()).isEqualTo("map_1");
  }

  @Test
  void checkpoints_are_listed_filtered_and_read_one_by_one() {
    ok(
        report(
            "checkpoints",
            "{\"epoch\":3,\"checkpoint_id\":\"chk-10\",\"checkpoint_epoch\":10,"
                + "\"state\":\"completed\",\"started_at\":\"2026-11-23T12:00:00Z\","
                + "\"finished_at\":\"2026-11-23T12:00:05Z\",\"size_bytes\":1048576,"
                + "\"backend\":\"filesystem\",\"location\":\"s3://checkpoints/10\","
                + "\"operator_states\":[{\"operator_id\":\"source_1\",\"operator_name\":\"K\","
                + "\"state_size\":524288,\"subtask_states\":[{\"subtask_index\":0,"
                + "\"state_size\":131072}]}]}"));
    ok(
        report(
            "checkpoints",
            "{\"epoch\":3,\"checkpoint_id\":\"chk-11\",\"checkpoint_epoch\":11,"
                + "\"state\":\"in_progress\"}"));
    JsonNode all = ok(get(VIEWER, "api/v1/jobs/" + id + "/checkpoints"));
    assertThat(all.get("data"))
        .extracting(c -> c.get("id").asText())
        .containsExactly("chk-11", "chk-10");
    assertThat(all.get("total").asLong()).isEqualTo(2);
    JsonNode done = ok(get(VIEWER, "api/v1/jobs/" + id + "/checkpoints?completed=true&limit=1"));
    assertThat(done.get("data")).extracting(c -> c.get("id").asText()).containsExactly("chk-10");
    JsonNode one = ok(get(VIEWER, "api/v1/jobs/" + id + "/checkpoints/chk-10"));
    assertThat(one.get("job_id").asText()).isEqualTo(id);
    assertThat(one.get("epoch").asLong()).isEqualTo(10);
    assertThat(one.get("state").asText()).isEqualTo("completed");
    assertThat(one.at("/operator_states/0/subtask_states/0/state_size").asLong()).isEqualTo(131072);
    problem(get(VIEWER, "api/v1/jobs/" + id + "/checkpoints/chk-99"), 404);
  }

  @Test
  void a_checkpoint_reported_once_finished_needs_no_start_time() {
    ok(
        report(
            "checkpoints",
            "{\"epoch\":3,\"checkpoint_id\":\"chk-1\",\"checkpoint_epoch\":1,"
                + "\"state\":\"completed\",\"finished_at\":\"2026-11-23T11:59:59Z\"}"));
    JsonNode one = ok(get(VIEWER, "api/v1/jobs/" + id + "/checkpoints/chk-1"));
    assertThat(one.get("started_at").asText()).isEqualTo("2026-11-23T11:59:59Z");
  }

  @Test
  void errors_are_filtered_and_paged() {
    ok(
        report(
            "errors",
            "{\"epoch\":3,\"errors\":[{\"level\":\"error\",\"operator_id\":\"source_1\","
                + "\"message\":\"Failed to parse JSON\",\"details\":\"line 1\","
                + "\"record\":\"{\\\"bad json\"},{\"level\":\"warning\",\"message\":\"w\"}]}"));
    JsonNode all = ok(get(VIEWER, "api/v1/jobs/" + id + "/errors?limit=1"));
    assertThat(all.get("total").asLong()).isEqualTo(2);
    assertThat(all.at("/data/0/message").asText()).isEqualTo("w");
    assertThat(all.get("has_more").asBoolean()).isTrue();
    JsonNode errs =
        ok(
            get(
                VIEWER,
                "api/v1/jobs/" + id + "/errors?level=error&operator_id=source_1&task_index=0"));
    assertThat(errs.at("/data/0/record").asText()).isEqualTo("{\"bad json");
  }

  @Test
  void output_reads_as_json_and_as_csv_with_a_header() throws Exception {
    ok(
        report(
            "output",
            "{\"epoch\":3,\"records\":[{\"timestamp\":\"2026-11-23T12:00:00Z\","
                + "\"operator_id\":\"sink_1\",\"record\":{\"id\":1,\"message\":\"a, \\\"b\\\"\"}},"
                + "{\"timestamp\":\"2026-11-23T12:00:01Z\",\"operator_id\":\"sink_2\","
                + "\"record\":{\"id\":2}}]}"));
    JsonNode json = ok(get(VIEWER, "api/v1/jobs/" + id + "/output?operator_id=sink_1"));
    assertThat(json.get("total_records").asLong()).isEqualTo(1);
    assertThat(json.at("/data/0/record/message").asText()).isEqualTo("a, \"b\"");

    Response csv = get(VIEWER, "api/v1/jobs/" + id + "/output?format=csv");
    assertThat(csv.getStatus()).isEqualTo(200);
    assertThat(csv.getMediaType().toString()).startsWith("text/csv");
    String text = csv.readEntity(String.class);
    assertThat(text.lines().findFirst().orElseThrow())
        .isEqualTo("id,timestamp,operator_id,task_index,run_id,record");
    MappingIterator<Map<String, String>> rows =
        new CsvMapper()
            .readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(text);
    List<Map<String, String>> all = rows.readAll();
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("operator_id")).isEqualTo("sink_1");
    assertThat(JSON.readTree(all.get(0).get("record")).get("message").asText())
        .isEqualTo("a, \"b\"");
    assertThat(all.get(1).get("timestamp")).isEqualTo("2026-11-23T12:00:01Z");
  }

  @Test
  void the_job_shows_an_estimate_from_its_progress_trend() {
    ok(report("progress", "{\"epoch\":3,\"progress\":10}"));
    JsonNode job = ok(get(VIEWER, "api/v1/jobs/" + id));
    assertThat(job.has("estimated_seconds_remaining")).isTrue();
    assertThat(job.get("estimated_seconds_remaining").isNull()).isTrue();
    Instant t0 = Instant.now().plusSeconds(1000); // after the reported sample (real clock)
    JobId jobId = JobId.parse(id);
    telemetry.appendProgress(jobId, 1, new ProgressSample(t0.plusSeconds(100), 0, 20));
    telemetry.appendProgress(jobId, 1, new ProgressSample(t0.plusSeconds(110), 0, 30));
    JsonNode list = ok(get(VIEWER, "api/v1/jobs"));
    assertThat(list.at("/items/0").has("estimated_seconds_remaining")).isTrue();
    JsonNode again = ok(get(VIEWER, "api/v1/jobs/" + id));
    assertThat(again.get("estimated_seconds_remaining").isNull()).isFalse();
    assertThat(again.get("estimated_seconds_remaining").asLong()).isPositive();
  }

  @Test
  void the_openapi_document_describes_the_watch_streams_and_telemetry() {
    JsonNode paths = ok(get(null, "openapi.json")).get("paths");
    for (String watch : List.of("/api/v1/jobs", "/api/v1/jobs/{id}/events")) {
      JsonNode get = paths.get(watch).get("get");
      assertThat(get.at("/responses/200/content").has("text/event-stream")).as(watch).isTrue();
      assertThat(get.get("parameters").findValuesAsText("name")).contains("Last-Event-ID");
    }
    assertThat(paths.has("/api/v1/leases/{job_id}/tasks/{task_index}/logs")).isTrue();
    assertThat(paths.at("/~1api~1v1~1jobs~1{id}~1output/get/responses/200/content").has("text/csv"))
        .isTrue();
  }
}
