package io.jobplane.adapters.rest;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JobsApiTest extends ApiTestSupport {

  private static final String MINIMAL = "{\"name\":\"nightly report\",\"type\":\"report\"}";

  @Test
  void a_viewer_sees_env_values_hidden_while_those_who_may_submit_to_the_project_see_them() {
    String id =
        json(submit(
                "{\"name\":\"with secrets\",\"type\":\"etl\",\"project\":\"etl\","
                    + "\"command\":[\"run\"],\"env\":{\"DB_PASSWORD\":\"hunter2\"}}"))
            .get("id")
            .asText();

    JsonNode asViewer = json(get(VIEWER, "api/v1/jobs/" + id));
    assertThat(asViewer.get("env").toString()).isEqualTo("{\"DB_PASSWORD\":\"***\"}");
    assertThat(get(VIEWER, "api/v1/jobs?project=etl").readEntity(String.class))
        .contains("\"DB_PASSWORD\":\"***\"")
        .doesNotContain("hunter2");

    assertThat(json(get(ETL, "api/v1/jobs/" + id)).get("env").get("DB_PASSWORD").asText())
        .isEqualTo("hunter2");
    assertThat(json(get(SUBMITTER, "api/v1/jobs/" + id)).get("env").get("DB_PASSWORD").asText())
        .isEqualTo("hunter2");
  }

  @Test
  void submit_returns_201_with_location_etag_and_the_job_in_snake_case() {
    Response r =
        submit(
            "{\"name\":\"nightly report\",\"type\":\"report\",\"project\":\"etl\","
                + "\"labels\":{\"env\":\"prod\"},\"input\":{\"date\":\"2026-11-23\",\"n\":[1,2]},"
                + "\"max_attempts\":5,\"priority\":7,\"queue\":\"fast\",\"runtime\":\"worker\","
                + "\"timeout_seconds\":600,\"parallelism\":2}");
    assertThat(r.getStatus()).isEqualTo(201);
    assertThat(r.getMediaType().toString()).startsWith("application/json");
    JsonNode job = json(r);

    // relative: nothing of the request's Host header is reflected into it
    assertThat(r.getHeaderString("Location")).isEqualTo("/api/v1/jobs/" + job.get("id").asText());
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(job.get("name").asText()).isEqualTo("nightly report");
    assertThat(job.get("type").asText()).isEqualTo("report");
    assertThat(job.get("project").asText()).isEqualTo("etl");
    assertThat(job.get("labels").get("env").asText()).isEqualTo("prod");
    assertThat(job.get("input").isObject()).isTrue();
    assertThat(job.get("input").get("n").get(1).asInt()).isEqualTo(2);
    assertThat(job.get("status").asText()).isEqualTo("QUEUED");
    assertThat(job.get("run_id").asInt()).isEqualTo(1);
    assertThat(job.get("attempt").asInt()).isEqualTo(1);
    assertThat(job.get("max_attempts").asInt()).isEqualTo(5);
    assertThat(job.get("priority").asInt()).isEqualTo(7);
    assertThat(job.get("queue").asText()).isEqualTo("fast");
    assertThat(job.get("runtime").asText()).isEqualTo("worker");
    assertThat(job.get("progress").isNull()).isTrue();
    assertThat(job.get("timeout_seconds").asInt()).isEqualTo(600);
    assertThat(job.get("parallelism").asInt()).isEqualTo(2);
    assertThat(job.get("created_by").asText()).isEqualTo("ci");
    assertThat(job.get("created_at").asText()).isEqualTo("2026-11-23T12:00:00.123456Z");
    assertThat(job.get("updated_at").asText()).isEqualTo("2026-11-23T12:00:00.123456Z");
    assertThat(job.get("queued_at").asText()).isEqualTo("2026-11-23T12:00:00.123456Z");
    assertThat(job.get("started_at").isNull()).isTrue();
    assertThat(job.get("finished_at").isNull()).isTrue();
    assertThat(job.get("queue_time_ms").isNumber()).isTrue();
    assertThat(job.get("elapsed_time_ms").isNull()).isTrue();
    assertThat(job.get("error").isNull()).isTrue();
    assertThat(job.get("desired_state").asText()).isEqualTo("RUNNING");
    assertThat(job.get("running_desired").asBoolean()).isTrue();
    assertThat(job.get("stop_mode").isNull()).isTrue();
    assertThat(job.get("checkpoint_id").isNull()).isTrue();
    assertThat(job.get("version").asLong()).isEqualTo(1);
    assertThat(job.has("extras")).isFalse();
  }

  @Test
  void submit_applies_the_documented_defaults() {
    JsonNode job = submitted(MINIMAL);

    assertThat(job.get("project").asText()).isEqualTo("default");
    assertThat(job.get("queue").asText()).isEqualTo("default");
    assertThat(job.get("max_attempts").asInt()).isEqualTo(3);
    assertThat(job.get("priority").asInt()).isZero();
    assertThat(job.get("parallelism").asInt()).isEqualTo(1);
    assertThat(job.get("runtime").asText()).isEqualTo("worker");
    assertThat(job.get("labels").size()).isZero();
    assertThat(job.get("input").isObject()).isTrue();
    assertThat(job.get("input").size()).isZero();
  }

  @Test
  void an_empty_depends_on_waits_for_nothing_as_generated_clients_send_it() {
    Response r = submit("{\"name\":\"n\",\"type\":\"t\",\"depends_on\":[]}");

    assertThat(r.getStatus()).isEqualTo(201);
    assertThat(json(r).get("status").asText()).isEqualTo("QUEUED");
  }

  @Test
  void submit_with_suspend_creates_a_suspended_job() {
    JsonNode job = submitted("{\"name\":\"n\",\"type\":\"t\",\"suspend\":true}");
    assertThat(job.get("status").asText()).isEqualTo("SUSPENDED");
  }

  @Test
  void get_returns_the_job_with_etag_and_verbose_adds_the_newest_events() {
    String id = submitted(MINIMAL).get("id").asText();

    Response plain = get("api/v1/jobs/" + id);
    assertThat(plain.getStatus()).isEqualTo(200);
    assertThat(plain.getHeaderString("ETag")).isEqualTo("\"1\"");
    assertThat(json(plain).has("extras")).isFalse();

    JsonNode verbose = json(get("api/v1/jobs/" + id + "?verbose=true"));
    JsonNode events = verbose.get("extras").get("recent_events");
    assertThat(events).hasSize(2);
    assertThat(events.get(0).get("event").asText()).isEqualTo("QUEUED");
    assertThat(events.get(1).get("event").asText()).isEqualTo("SUBMITTED");
  }

  @Test
  void verbose_shows_at_most_ten_events() {
    JobSnapshot job = jobs.insert(aJob().withStatus(JobStatus.FAILED).buildJob());
    for (int i = 0; i < 4; i++) {
      post(SUBMITTER, "api/v1/jobs/" + job.id() + "/restart", "{}").close();
      post(SUBMITTER, "api/v1/jobs/" + job.id() + "/stop", "{}").close();
    }
    JsonNode recent =
        json(get("api/v1/jobs/" + job.id() + "?verbose=true")).get("extras").get("recent_events");
    assertThat(jobs.events(job.id())).hasSizeGreaterThan(10);
    assertThat(recent).hasSize(10);
  }

  @Test
  void elapsed_and_queue_times_are_derived() {
    JobSnapshot running = jobs.insert(aJob().withStatus(JobStatus.RUNNING).buildJob());
    JsonNode job = json(get("api/v1/jobs/" + running.id()));
    assertThat(job.get("queue_time_ms").asLong()).isEqualTo(1000);
    assertThat(job.get("elapsed_time_ms").asLong()).isPositive();
  }

  @Test
  void list_returns_items_and_page_metadata_with_every_status_counted() {
    for (int i = 0; i < 3; i++) {
      submitted(MINIMAL);
    }
    jobs.insert(aJob().withStatus(JobStatus.FAILED).buildJob());

    JsonNode page = json(get("api/v1/jobs?limit=2"));

    assertThat(page.get("items")).hasSize(2);
    assertThat(page.get("total").asLong()).isEqualTo(4);
    assertThat(page.get("limit").asInt()).isEqualTo(2);
    assertThat(page.get("offset").asInt()).isZero();
    assertThat(page.get("has_more").asBoolean()).isTrue();
    assertThat(page.get("next_cursor").asText()).isNotBlank();
    JsonNode counts = page.get("status_counts");
    Set<String> names = new HashSet<>();
    counts.fieldNames().forEachRemaining(names::add);
    Set<String> all = new HashSet<>();
    for (JobStatus s : JobStatus.values()) {
      all.add(s.name());
    }
    assertThat(names).isEqualTo(all);
    assertThat(counts.get("QUEUED").asLong()).isEqualTo(3);
    assertThat(counts.get("FAILED").asLong()).isEqualTo(1);
    assertThat(counts.get("RUNNING").asLong()).isZero();
  }

  @Test
  void status_filter_is_case_insensitive_and_counts_ignore_it() {
    jobs.insert(aJob().withStatus(JobStatus.RUNNING).buildJob());
    jobs.insert(aJob().withStatus(JobStatus.FAILED).buildJob());
    jobs.insert(aJob().withStatus(JobStatus.QUEUED).buildJob());

    JsonNode page = json(get("api/v1/jobs?status=running,Failed"));

    assertThat(page.get("total").asLong()).isEqualTo(2);
    assertThat(statuses(page)).containsExactlyInAnyOrder("RUNNING", "FAILED");
    assertThat(page.get("status_counts").get("QUEUED").asLong()).isEqualTo(1);
  }

  @Test
  void filters_by_type_project_queue_labels_creator_time_and_search() {
    jobs.insert(
        aJob()
            .withName("Nightly ETL")
            .withType("etl")
            .inProject("data")
            .inQueue("big")
            .withLabel("env", "prod")
            .withLabel("gpu", "true")
            .createdBy("ci")
            .createdAt(clock.instant().plus(Duration.ofHours(1)))
            .buildJob());
    jobs.insert(aJob().withName("other").withLabel("env", "dev").buildJob());

    for (String query :
        List.of(
            "type=etl",
            "project=data",
            "queue=big",
            "runtime=WORKER&labels=env%3Dprod",
            "labels=gpu,env!%3Ddev",
            "created_by=ci",
            "created_after=2026-11-23T12:30:00Z",
            "created_after=2026-11-23T14:30:00%2B02:00",
            "search=nightly")) {
      JsonNode page = json(get("api/v1/jobs?" + query));
      assertThat(page.get("total").asLong()).as(query).isEqualTo(1);
      assertThat(page.get("items").get(0).get("name").asText()).as(query).isEqualTo("Nightly ETL");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-created_at", "name", "-priority,name", "progress", "-status"})
  void offset_and_cursor_paging_visit_every_job_exactly_once(String sort) {
    JobStatus[] statuses = {JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED};
    for (int i = 0; i < 27; i++) {
      jobs.insert(
          aJob()
              .withName("job-" + (i % 6))
              .withPriority(i % 3)
              .withStatus(statuses[i % 3])
              .withProgress(i % 3 == 1 && i % 2 == 0 ? i : null)
              .createdAt(clock.instant().plusSeconds(i % 4))
              .buildJob());
    }
    List<String> byOffset = new ArrayList<>();
    for (int offset = 0; ; offset += 5) {
      JsonNode page = json(get("api/v1/jobs?limit=5&sort=" + sort + "&offset=" + offset));
      page.get("items").forEach(j -> byOffset.add(j.get("id").asText()));
      if (!page.get("has_more").asBoolean()) {
        break;
      }
    }
    List<String> byCursor = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          json(
              get(
                  "api/v1/jobs?limit=4&sort="
                      + sort
                      + (cursor == null ? "" : "&cursor=" + cursor)));
      page.get("items").forEach(j -> byCursor.add(j.get("id").asText()));
      cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
    } while (cursor != null);

    assertThat(byOffset).hasSize(27).doesNotHaveDuplicates();
    assertThat(byCursor).containsExactlyElementsOf(byOffset);
  }

  @Test
  void cursor_paging_works_for_a_project_scoped_token() {
    for (int i = 0; i < 5; i++) {
      jobs.insert(aJob().inProject("etl").buildJob());
      jobs.insert(aJob().inProject("billing").buildJob());
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Response r = get(ETL, "api/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(r.getStatus()).isEqualTo(200);
      JsonNode page = json(r);
      page.get("items").forEach(j -> seen.add(j.get("project").asText()));
      cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
    } while (cursor != null);
    assertThat(seen).hasSize(5).containsOnly("etl");
  }

  @Test
  void sorting_by_priority_descending() {
    for (int p : new int[] {3, -5, 10, 0}) {
      jobs.insert(aJob().withPriority(p).buildJob());
    }
    JsonNode page = json(get("api/v1/jobs?sort=-priority"));
    List<Integer> priorities = new ArrayList<>();
    page.get("items").forEach(j -> priorities.add(j.get("priority").asInt()));
    assertThat(priorities).containsExactly(10, 3, 0, -5);
  }

  @Test
  void idempotent_replay_returns_200_with_the_same_job() {
    Response first =
        as(SUBMITTER, "api/v1/jobs")
            .header("Idempotency-Key", "abc-123")
            .post(jakarta.ws.rs.client.Entity.json(MINIMAL));
    Response again =
        as(SUBMITTER, "api/v1/jobs")
            .header("Idempotency-Key", "abc-123")
            .post(jakarta.ws.rs.client.Entity.json(MINIMAL));

    assertThat(first.getStatus()).isEqualTo(201);
    assertThat(first.getHeaderString("Idempotent-Replayed")).isNull();
    assertThat(again.getStatus()).isEqualTo(200);
    assertThat(again.getHeaderString("Idempotent-Replayed")).isEqualTo("true");
    assertThat(json(again).get("id")).isEqualTo(json(first).get("id"));
    assertThat(jobs.size()).isEqualTo(1);
  }

  @Test
  void same_idempotency_key_with_another_body_is_422() {
    as(SUBMITTER, "api/v1/jobs")
        .header("Idempotency-Key", "abc-123")
        .post(jakarta.ws.rs.client.Entity.json(MINIMAL))
        .close();
    Response r =
        as(SUBMITTER, "api/v1/jobs")
            .header("Idempotency-Key", "abc-123")
            .post(jakarta.ws.rs.client.Entity.json("{\"name\":\"other\",\"type\":\"report\"}"));

    JsonNode p = problem(r, 422);
    assertThat(p.get("type").asText())
        .isEqualTo("https://jobplane.io/problems/idempotency-mismatch");
  }

  @Test
  void events_are_paginated_and_carry_run_ids_after_a_restart() {
    JobSnapshot job = jobs.insert(aJob().withStatus(JobStatus.FAILED).buildJob());
    completedCheckpoint(job.id(), "chk-1");
    Response restarted =
        post(SUBMITTER, "api/v1/jobs/" + job.id() + "/restart", "{\"checkpoint_id\":\"chk-1\"}");
    assertThat(restarted.getStatus()).isEqualTo(200);

    JsonNode first = json(get("api/v1/jobs/" + job.id() + "/events?limit=3"));
    assertThat(first.get("total").asLong()).isEqualTo(5);
    assertThat(first.get("limit").asInt()).isEqualTo(3);
    assertThat(first.get("offset").asInt()).isZero();
    assertThat(first.get("has_more").asBoolean()).isTrue();
    JsonNode submittedEvent = first.get("items").get(0);
    assertThat(submittedEvent.get("event").asText()).isEqualTo("SUBMITTED");
    assertThat(submittedEvent.get("from_status").isNull()).isTrue();
    assertThat(submittedEvent.get("to_status").asText()).isEqualTo("PENDING");
    assertThat(submittedEvent.get("source").asText()).isEqualTo("test");
    assertThat(submittedEvent.get("timestamp").asText()).endsWith("Z");
    assertThat(submittedEvent.get("run_id").asInt()).isEqualTo(1);
    assertThat(submittedEvent.get("attempt").asInt()).isEqualTo(1);
    assertThat(submittedEvent.has("message")).isTrue();
    assertThat(submittedEvent.get("error").isNull()).isTrue();

    JsonNode rest = json(get("api/v1/jobs/" + job.id() + "/events?limit=3&offset=3"));
    assertThat(rest.get("items")).hasSize(2);
    assertThat(rest.get("has_more").asBoolean()).isFalse();
    JsonNode failed = rest.get("items").get(0);
    assertThat(failed.get("event").asText()).isEqualTo("FAILED");
    assertThat(failed.get("error").get("reason").asText()).isEqualTo("EXIT_CODE");
    assertThat(failed.get("run_id").asInt()).isEqualTo(1);
    JsonNode restart = rest.get("items").get(1);
    assertThat(restart.get("event").asText()).isEqualTo("RESTARTED");
    assertThat(restart.get("source").asText()).isEqualTo("api:ci");
    assertThat(restart.get("run_id").asInt()).isEqualTo(2);
  }

  private static List<String> statuses(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(j -> out.add(j.get("status").asText()));
    return out;
  }

  @SuppressWarnings("unused")
  private static Map<String, Object> fields(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
