package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.domain.query.ListExpansion;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ?expand=} and {@code ?fields=} on {@code GET /api/v1/jobs}. */
class JobListExpansionApiTest extends ApiTestSupport {

  private static final String JOB =
      "{\"name\":\"n\",\"type\":\"etl\",\"command\":[\"sh\",\"-c\",\"true\"]";

  private void claimAll() {
    Response r = post(WORKER, "api/v1/leases", "{\"worker_id\":\"w-1\",\"max_tasks\":100}");
    JsonNode answer = json(r);
    assertThat(r.getStatus()).as(answer.toString()).isEqualTo(200);
    remembered(answer);
  }

  private void report(String id, int task, String what, String body) {
    Response r =
        post(WORKER, "api/v1/leases/" + id + "/tasks/" + task + "/" + what, proven(id, task, body));
    assertThat(r.getStatus()).as(r.readEntity(String.class)).isEqualTo(200);
  }

  /** The only item of the list page at {@code query}. */
  private JsonNode onlyItem(String query) {
    Response r = get("api/v1/jobs?" + query);
    JsonNode page = json(r);
    assertThat(r.getStatus()).as(page.toString()).isEqualTo(200);
    assertThat(page.get("items")).hasSize(1);
    return page.get("items").get(0);
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void an_expanded_item_shows_the_fields_of_the_single_job_read() {
    String id = submitted(JOB + ",\"parallelism\":3}").get("id").asText();
    claimAll();
    report(
        id, 0, "heartbeat", "{\"epoch\":1,\"items\":{\"total\":10,\"completed\":4,\"failed\":1}}");
    report(id, 1, "complete", "{\"epoch\":1,\"output\":{\"rows\":7},\"changed\":true}");

    JsonNode item = onlyItem("expand=tasks,timeline,items,output");
    JsonNode detail = json(get("api/v1/jobs/" + id + "?verbose=true"));
    JsonNode tasks = json(get("api/v1/jobs/" + id + "/tasks")).get("tasks");

    for (String field : List.of("tasks", "items", "output", "changed")) {
      assertThat(item.get(field)).as(field).isEqualTo(detail.get(field)).isNotNull();
    }
    assertThat(item.at("/output/1/rows").asInt()).isEqualTo(7);
    assertThat(item.at("/extras/recent_events")).isEqualTo(detail.at("/extras/recent_events"));
    // the tasks as GET .../tasks shows them, without their output (and each read has its own
    // now for the duration of a running task)
    for (JsonNode task : tasks) {
      ((ObjectNode) task).remove(List.of("output", "duration_ms"));
    }
    JsonNode listed = item.at("/extras/tasks");
    for (JsonNode task : listed) {
      assertThat(task.has("output")).isFalse();
      ((ObjectNode) task).remove("duration_ms");
    }
    assertThat(listed).isEqualTo(tasks);
    assertThat(item.at("/extras/tasks_omitted").asInt()).isZero();
    assertThat(item.at("/extras/outputs_omitted").asInt()).isZero();
  }

  @Test
  void without_expand_an_item_has_none_of_the_expanded_fields() {
    submitted(JOB + "}");

    JsonNode item = onlyItem("limit=10");

    for (String field : List.of("tasks", "items", "output", "changed", "extras")) {
      assertThat(item.has(field)).as(field).isFalse();
    }
  }

  @Test
  void each_expansion_adds_only_its_own_fields() {
    submitted(JOB + "}");

    JsonNode timeline = onlyItem("expand=timeline");
    assertThat(names(timeline.get("extras"))).containsExactly("recent_events");
    assertThat(timeline.has("tasks")).isFalse();

    JsonNode tasks = onlyItem("expand=TASKS");
    assertThat(tasks.at("/tasks/pending").asInt()).isEqualTo(1);
    assertThat(names(tasks.get("extras"))).containsExactly("tasks", "tasks_omitted");
    assertThat(tasks.has("output")).isFalse();
  }

  @Test
  void a_job_of_many_tasks_lists_the_first_ones_and_says_how_many_it_left_out() {
    submitted(JOB + ",\"parallelism\":" + (ListExpansion.TASKS_PER_JOB + 5) + "}");

    JsonNode item = onlyItem("expand=tasks");

    assertThat(item.at("/tasks/total").asInt()).isEqualTo(ListExpansion.TASKS_PER_JOB + 5);
    assertThat(item.at("/extras/tasks")).hasSize(ListExpansion.TASKS_PER_JOB);
    assertThat(item.at("/extras/tasks/0/index").asInt()).isZero();
    assertThat(item.at("/extras/tasks_omitted").asInt()).isEqualTo(5);
  }

  @Test
  void an_output_too_large_for_a_list_is_left_out_and_counted() {
    String id = submitted(JOB + "}").get("id").asText();
    claimAll();
    String large = "x".repeat(ListExpansion.OUTPUT_MAX_BYTES);
    report(id, 0, "complete", "{\"epoch\":1,\"output\":{\"log\":\"" + large + "\"}}");

    JsonNode item = onlyItem("expand=output");

    assertThat(item.has("output")).isFalse();
    assertThat(item.at("/extras/outputs_omitted").asInt()).isEqualTo(1);
    assertThat(json(get("api/v1/jobs/" + id)).at("/output/log").asText()).isEqualTo(large);
  }

  @Test
  void an_unknown_expansion_is_a_400_naming_it() {
    JsonNode p = problem(get("api/v1/jobs?expand=tasks,bogus"), 400);

    assertThat(errorNames(p)).containsExactly("expand");
    assertThat(p.get("detail").asText())
        .isEqualTo(
            "expand: unknown expansion 'bogus'; expected one of tasks, timeline, items, output");
  }

  @Test
  void an_expansion_named_as_other_apis_name_it_is_refused_with_ours() {
    JsonNode p = problem(get("api/v1/jobs?expand=events"), 400);

    assertThat(p.get("detail").asText())
        .startsWith("expand: unknown expansion 'events'; did you mean 'timeline'?");
    assertThat(problem(get("api/v1/jobs?expand=tasks,"), 400).get("detail").asText())
        .contains("empty");
    assertThat(problem(get("api/v1/jobs?include=tasks"), 400).get("detail").asText())
        .isEqualTo("unknown query parameter 'include'; did you mean 'expand'?");
    assertThat(problem(get("api/v1/jobs?select=name"), 400).get("detail").asText())
        .isEqualTo("unknown query parameter 'select'; did you mean 'fields'?");
  }

  @Test
  void fields_keeps_the_named_fields_of_each_item_and_always_the_id() {
    submitted(JOB + "}");
    submitted(JOB + "}");

    JsonNode page = json(get("api/v1/jobs?fields=name,status"));

    assertThat(page.get("items")).hasSize(2);
    for (JsonNode item : page.get("items")) {
      assertThat(names(item)).containsExactlyInAnyOrder("id", "name", "status");
    }
    // the page's own fields stay
    assertThat(page.get("total").asLong()).isEqualTo(2);
    assertThat(page.get("status_counts").get("QUEUED").asLong()).isEqualTo(2);
  }

  @Test
  void fields_applies_after_expand() {
    submitted(JOB + "}");

    JsonNode item = onlyItem("expand=tasks,timeline&fields=status,tasks");

    assertThat(names(item)).containsExactlyInAnyOrder("id", "status", "tasks");
    assertThat(item.at("/tasks/total").asInt()).isEqualTo(1);
  }

  @Test
  void an_unknown_field_is_a_400_naming_it() {
    JsonNode p = problem(get("api/v1/jobs?fields=name,state"), 400);

    assertThat(errorNames(p)).containsExactly("fields");
    assertThat(p.get("detail").asText())
        .startsWith("fields: unknown field 'state'; did you mean 'status'?")
        .contains("created_at");
    assertThat(problem(get("api/v1/jobs?fields=bogus"), 400).get("detail").asText())
        .startsWith("fields: unknown field 'bogus'; a job has id, name,");
  }

  @Test
  void bad_expand_fields_and_page_are_refused_together() {
    JsonNode p = problem(get("api/v1/jobs?expand=x&fields=y&limit=0"), 400);

    assertThat(errorNames(p)).containsExactlyInAnyOrder("expand", "fields", "limit");
  }
}
