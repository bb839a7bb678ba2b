package io.jobplane.adapters.rest;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.JobSnapshot;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a request can be malformed answers 400 as a problem naming the culprit (body and header
 * limits are the container's: {@code JettyHttpServerTest}).
 */
class ValidationApiTest extends ApiTestSupport {

  @Override
  ApiSettings settings() {
    return new ApiSettings(false);
  }

  @Test
  void malformed_json_is_400() {
    JsonNode p = problem(submit("{\"name\": \"x\", "), 400);
    assertThat(p.get("type").asText()).isEqualTo("https://jobplane.io/problems/invalid-argument");
    assertThat(p.get("detail").asText()).contains("not well-formed JSON");
  }

  @Test
  void an_empty_body_is_400() {
    problem(submit(""), 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"status", "attempt", "created_by", "run_id", "version", "created_at", "id"})
  void server_owned_fields_are_refused_by_name(String field) {
    JsonNode p = problem(submit("{\"name\":\"n\",\"type\":\"t\",\"" + field + "\":\"x\"}"), 400);
    assertThat(p.get("detail").asText()).contains(field);
    assertThat(errorNames(p)).containsExactly(field);
    assertThat(jobs.size()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"name\":\"n\",\"type\":\"t\",\"max_attempts\":\"three\"}|max_attempts",
        "{\"name\":\"n\",\"type\":\"t\",\"max_attempts\":\"3\"}|max_attempts",
        "{\"name\":\"n\",\"type\":\"t\",\"priority\":1.5}|priority",
        "{\"name\":\"n\",\"type\":\"t\",\"suspend\":\"yes\"}|suspend",
        "{\"name\":\"n\",\"type\":\"t\",\"labels\":[\"a\"]}|labels",
        "{\"name\":\"n\",\"type\":\"t\",\"input\":[1,2]}|input",
        "{\"name\":\"n\",\"type\":\"t\",\"input\":\"text\"}|input",
        "{\"name\":[\"n\"],\"type\":\"t\"}|name"
      })
  void wrong_types_are_400_naming_the_field(String body, String field) {
    JsonNode p = problem(submit(body), 400);
    assertThat(errorNames(p)).containsExactly(field);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"t\"}|name",
        "{\"name\":\"n\"}|type",
        "{\"name\":\"bad\\u0007name\",\"type\":\"t\"}|name",
        "{\"name\":\"n\",\"type\":\"Not An Identifier\"}|type",
        "{\"name\":\"n\",\"type\":\"t\",\"labels\":{\"bad key!\":\"v\"}}|labels",
        "{\"name\":\"n\",\"type\":\"t\",\"labels\":{\"jobplane.io/schedule\":\"x\"}}|labels",
        "{\"name\":\"n\",\"type\":\"t\",\"max_attempts\":0}|max_attempts",
        "{\"name\":\"n\",\"type\":\"t\",\"priority\":5000}|priority",
        "{\"name\":\"n\",\"type\":\"t\",\"runtime\":\"lambda\"}|runtime",
        "{\"name\":\"n\",\"type\":\"t\",\"runtime\":\"kubernetes\"}|kubernetes",
        "{\"name\":\"n\",\"type\":\"t\",\"parallelism\":0}|parallelism",
        "{\"name\":\"n\",\"type\":\"t\",\"timeout_seconds\":0}|timeout_seconds"
      })
  void invalid_values_are_400_naming_the_field(String body, String field) {
    JsonNode p = problem(submit(body), 400);
    assertThat(errorNames(p)).containsExactly(field);
  }

  @Test
  void a_null_environment_value_is_400_but_nulls_inside_the_input_are_data() {
    JsonNode p =
        problem(
            submit("{\"name\":\"n\",\"type\":\"t\",\"command\":[\"true\"],\"env\":{\"A\":null}}"),
            400);
    assertThat(errorNames(p)).containsExactly("env.A");
    assertThat(jobs.size()).isZero();
    Response ok = submit("{\"name\":\"n\",\"type\":\"t\",\"input\":{\"a\":null,\"b\":[null]}}");
    assertThat(ok.getStatus()).isEqualTo(201);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"name\":\"x\\ud800\",\"type\":\"t\"}|name",
        "{\"name\":\"n\",\"type\":\"t\",\"input\":{\"a\":[\"\\udc00\"]}}|input.a[0]",
        "{\"name\":\"n\",\"type\":\"t\",\"input\":{\"k\\ud800\":1}}|input.k\ud800",
        "{\"name\":\"n\",\"type\":\"t\",\"command\":[\"a\\ud800\"]}|command[0]"
      })
  void an_unpaired_surrogate_is_400_because_it_cannot_be_stored(String body, String field) {
    JsonNode p = problem(submit(body), 400);
    assertThat(errorNames(p)).containsExactly(field);
    assertThat(jobs.size()).isZero();
    assertThat(submit("{\"name\":\"rocket \\ud83d\\ude80\",\"type\":\"t\"}").getStatus())
        .as("a pair is a character")
        .isEqualTo(201);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "api/v1/jobs?project=ml%00",
        "api/v1/jobs?type=a%07",
        "api/v1/jobs?queue=q%0A",
        "api/v1/jobs?created_by=x%00",
        "api/v1/jobs?search=a%1Bb"
      })
  void a_query_value_with_control_characters_or_broken_unicode_is_400(String pathAndQuery) {
    JsonNode p = problem(get(pathAndQuery), 400);
    assertThat(p.get("detail").asText()).contains("control characters");
  }

  @Test
  void a_path_value_with_a_nul_is_400() {
    String id = submitted("{\"name\":\"n\",\"type\":\"t\"}").get("id").asText();
    JsonNode p = problem(get("api/v1/jobs/" + id + "/checkpoints/chk%00"), 400);
    assertThat(errorNames(p)).containsExactly("checkpoint_id");
  }

  @Test
  void duplicate_keys_are_400() {
    problem(submit("{\"name\":\"a\",\"name\":\"b\",\"type\":\"t\"}"), 400);
  }

  @Test
  void deeply_nested_json_is_400() {
    String deep = "[".repeat(200) + "]".repeat(200);
    JsonNode p =
        problem(submit("{\"name\":\"n\",\"type\":\"t\",\"input\":{\"x\":" + deep + "}}"), 400);
    assertThat(p.get("detail").asText()).contains("nested too deeply");
  }

  @Test
  void a_successful_submit_keeps_the_connection() {
    Response r = submit("{\"name\":\"n\",\"type\":\"t\"}");
    assertThat(r.getStatus()).isEqualTo(201);
    assertThat(r.getHeaderString("Connection")).isNull();
  }

  @Test
  void an_unknown_query_parameter_is_400_listing_it() {
    JsonNode p = problem(get("api/v1/jobs?stauts=FAILED&limit=5&colour=red"), 400);
    assertThat(errorNames(p)).containsExactly("colour", "stauts");
    assertThat(p.get("detail").asText()).contains("stauts");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ordering=-created_at|ordering|sort",
        "page_size=50|page_size|limit",
        "pipeline_id=p1|pipeline_id|type",
        "status=completed|status|SUCCEEDED",
        "status=running,canceled|status|STOPPED",
        "status=timedout|status|TIMED_OUT"
      })
  void a_name_from_another_job_api_is_refused_with_ours(
      String query, String parameter, String ours) {
    JsonNode p = problem(get("api/v1/jobs?" + query), 400);
    assertThat(errorNames(p)).containsExactly(parameter);
    assertThat(p.get("errors").get(0).get("message").asText())
        .contains("did you mean '" + ours + "'");
    assertThat(jobs.size()).isZero();
  }

  @Test
  void a_single_foreign_parameter_is_named_with_ours_in_the_detail() {
    JsonNode p = problem(get("api/v1/jobs?ordering=-created_at"), 400);
    assertThat(p.get("detail").asText())
        .isEqualTo("unknown query parameter 'ordering'; did you mean 'sort'?");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|limit",
        "limit=101|limit",
        "limit=ten|limit",
        "offset=-1|offset",
        "cursor=abc&offset=0|cursor",
        "sort=colour|sort",
        "sort=|sort",
        "status=DONE|status",
        "runtime=lambda|runtime",
        "labels=bad%20key!|labels",
        "created_after=yesterday|created_after",
        "created_after=2026-11-23T12:00:00Z&created_before=2026-11-22T12:00:00Z|created_after",
        "cursor=not-a-cursor|cursor",
        "search=a%07b|search"
      })
  void bad_list_parameters_are_400_per_parameter(String query, String parameter) {
    JsonNode p = problem(get("api/v1/jobs?" + query), 400);
    assertThat(errorNames(p)).contains(parameter);
    assertThat(p.get("errors").get(0).has("parameter")).isTrue();
  }

  @Test
  void several_bad_parameters_are_reported_together() {
    JsonNode p = problem(get("api/v1/jobs?limit=0&offset=-3&sort=colour"), 400);
    assertThat(errorNames(p)).containsExactlyInAnyOrder("limit", "offset", "sort");
  }

  @Test
  void a_cursor_for_another_sort_is_400() {
    for (int i = 0; i < 3; i++) {
      jobs.insert(aJob().buildJob());
    }
    String cursor = json(get("api/v1/jobs?limit=1")).get("next_cursor").asText();
    JsonNode p = problem(get("api/v1/jobs?limit=1&sort=name&cursor=" + cursor), 400);
    assertThat(errorNames(p)).containsExactly("cursor");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "api/v1/jobs/not-a-uuid",
        "api/v1/jobs/not-a-uuid/events",
        "api/v1/jobs/123e4567-e89b-12d3-a456-42661417400"
      })
  void a_malformed_job_id_is_400(String path) {
    JsonNode p = problem(get(path), 400);
    assertThat(errorNames(p)).containsExactly("id");
  }

  @Test
  void a_malformed_id_on_a_control_endpoint_is_400() {
    problem(post(SUBMITTER, "api/v1/jobs/nope/suspend", "{}"), 400);
  }

  @Test
  void bad_event_paging_is_400() {
    JobSnapshot job = jobs.insert(aJob().buildJob());
    JsonNode p = problem(get("api/v1/jobs/" + job.id() + "/events?limit=0&offset=x"), 400);
    assertThat(errorNames(p)).containsExactlyInAnyOrder("limit", "offset");
  }

  @Test
  void bad_verbose_flag_is_400() {
    JobSnapshot job = jobs.insert(aJob().buildJob());
    problem(get("api/v1/jobs/" + job.id() + "?verbose=maybe"), 400);
  }

  @Test
  void a_bad_stop_mode_is_400() {
    JobSnapshot job = jobs.insert(aJob().buildJob());
    JsonNode p =
        problem(post(SUBMITTER, "api/v1/jobs/" + job.id() + "/stop", "{\"mode\":\"nicely\"}"), 400);
    assertThat(errorNames(p)).containsExactly("mode");
  }

  @Test
  void an_invalid_idempotency_key_is_400() {
    Response r =
        as(SUBMITTER, "api/v1/jobs")
            .header("Idempotency-Key", "has space")
            .post(Entity.json("{\"name\":\"n\",\"type\":\"t\"}"));
    problem(r, 400);
  }

  @Test
  void an_unsupported_media_type_is_415() {
    Response r = as(SUBMITTER, "api/v1/jobs").post(Entity.entity("name=n", MediaType.TEXT_PLAIN));
    problem(r, 415);
  }

  @Test
  void an_unknown_route_is_a_404_problem() {
    JsonNode p = problem(get("api/v1/nothing-here"), 404);
    assertThat(p.get("type").asText()).isEqualTo("about:blank");
  }

  @Test
  void a_wrong_method_is_a_405_problem() {
    Response r = as(SUBMITTER, "api/v1/jobs").put(Entity.json("{}"));
    problem(r, 405);
    assertThat(r.getHeaderString("Allow")).contains("GET");
  }

  @Test
  void an_unacceptable_media_type_is_a_406_problem() {
    Response r =
        at("api/v1/jobs")
            .request("application/xml")
            .header("Authorization", "Bearer " + ADMIN)
            .get();
    problem(r, 406);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"depends_on\":[],\"dependency_condition\":\"finished\"|dependency_condition",
        "\"depends_on\":[\"not-a-uuid\"]|depends_on[0]",
        "\"depends_on\":[\"7d3c4a0e-0000-4000-8000-000000000001\","
            + "\"7d3c4a0e-0000-4000-8000-000000000001\"]|depends_on",
        "\"dependency_condition\":\"finished\"|dependency_condition",
        "\"depends_on\":[\"7d3c4a0e-0000-4000-8000-000000000001\"],"
            + "\"dependency_condition\":\"done\"|condition",
        "\"depends_on\":[\"7d3c4a0e-0000-4000-8000-000000000001\"],\"suspend\":true|suspended",
        "\"depends_on\":[\"7d3c4a0e-0000-4000-8000-000000000001\"]|depends_on[0]"
      })
  void dependencies_that_cannot_be_waited_for_are_400_naming_the_field(
      String fields, String field) {
    JsonNode p = problem(submit("{\"name\":\"n\",\"type\":\"t\"," + fields + "}"), 400);
    assertThat(errorNames(p)).contains(field);
    assertThat(jobs.size()).isZero();
  }
}
