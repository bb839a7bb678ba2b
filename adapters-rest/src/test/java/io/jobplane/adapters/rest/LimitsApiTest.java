package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** /api/v1/projects/{p}/limits, and what the limits do to submits and to a waiting job. */
class LimitsApiTest extends ApiTestSupport {

  private static final String JOB = "{\"name\":\"n\",\"type\":\"etl\",\"project\":\"etl\"";

  private Response put(String token, String project, String json) {
    return as(token, "api/v1/projects/" + project + "/limits")
        .put(Entity.entity(json, MediaType.APPLICATION_JSON));
  }

  private JsonNode limitsSet(String project, String json) {
    Response r = put(ADMIN, project, json);
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(200);
    return body;
  }

  @Test
  void anAdminSetsLimitsAndAReaderOfTheProjectSeesThemWithTheirUsage() {
    JsonNode set =
        limitsSet(
            "etl",
            "{\"max_running\":2,\"max_queued\":1000,\"weight\":3,"
                + "\"queues\":{\"gpu\":{\"max_running\":1}}}");
    assertThat(set.path("max_running").asInt()).isEqualTo(2);
    assertThat(set.path("updated_by").asText()).isEqualTo("admin");
    submitted(JOB + ",\"queue\":\"gpu\"}");

    Response r = get(ETL, "api/v1/projects/etl/limits");
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(200);
    assertThat(body.path("project").asText()).isEqualTo("etl");
    assertThat(body.path("max_queued").asLong()).isEqualTo(1000);
    assertThat(body.path("weight").asInt()).isEqualTo(3);
    assertThat(body.path("queues").path("gpu").path("max_running").asInt()).isEqualTo(1);
    assertThat(body.path("queues").path("gpu").path("max_queued").isNull()).isTrue();
    assertThat(body.path("usage").path("total").path("queued").asLong()).isEqualTo(1);
    assertThat(body.path("usage").path("queues").path("gpu").path("queued").asLong()).isEqualTo(1);
    assertThat(body.path("usage").path("total").path("running").asLong()).isZero();
  }

  @Test
  void aProjectWithoutLimitsAnswersNoneAndAnEmptyDocumentRemovesThem() {
    JsonNode none = json(get(VIEWER, "api/v1/projects/ml/limits"));
    assertThat(none.path("max_running").isNull()).isTrue();
    assertThat(none.path("max_queued").isNull()).isTrue();
    assertThat(none.path("weight").asInt()).isEqualTo(1);
    assertThat(none.path("updated_at").isNull()).isTrue();

    limitsSet("ml", "{\"max_running\":1}");
    assertThat(limits.find("ml")).isPresent();
    limitsSet("ml", "{}");
    assertThat(limits.find("ml")).isEmpty();
  }

  @Test
  void anotherTenantsProjectIsNotFoundForReadsAndWritesAndNothingIsRevealed() {
    limitsSet("ml", "{\"max_running\":1}");
    JsonNode hidden = problem(get(ETL, "api/v1/projects/ml/limits"), 404);
    JsonNode never = problem(get(ETL, "api/v1/projects/never-used/limits"), 404);
    assertThat(hidden.path("detail").asText()).isEqualTo(never.path("detail").asText());
    assertThat(hidden.toString()).doesNotContain("max_running");

    // a body that would be refused is not even judged for a project the caller cannot see
    problem(put(ETL, "ml", "{\"max_running\":-1}"), 404);
    assertThat(limits.find("ml").orElseThrow().limits().maxRunning()).isEqualTo(1);
  }

  @Test
  void onlyAnAdminSetsLimits() {
    JsonNode p = problem(put(SUBMITTER, "etl", "{\"max_running\":5}"), 403);
    assertThat(p.path("detail").asText()).contains("may not set limits");
    problem(put(ETL, "etl", "{\"max_running\":5}"), 403);
    assertThat(limits.find("etl")).isEmpty();
  }

  @Test
  void outOfBoundsLimitsAreRefusedNamingEachFieldAndStoreNothing() {
    JsonNode p =
        problem(
            put(
                ADMIN,
                "etl",
                "{\"max_running\":-1,\"weight\":0,\"queues\":{\"gpu\":{\"max_queued\":-5},"
                    + "\"Bad Queue\":{\"max_running\":1}}}"),
            400);
    assertThat(errorNames(p))
        .contains("max_running", "weight", "queues.gpu.max_queued", "queues.Bad Queue");
    assertThat(limits.find("etl")).isEmpty();

    problem(put(ADMIN, "etl", "{\"max_running\":\"two\"}"), 400);
    JsonNode unknown = problem(put(ADMIN, "etl", "{\"max_runing\":2}"), 400);
    assertThat(unknown.toString()).contains("max_runing");
    assertThat(limits.find("etl")).isEmpty();
  }

  @Test
  void aSubmitPastMaxQueuedGets429WithRetryAfterAndStoresNothing() {
    limitsSet("etl", "{\"max_queued\":2}");
    submitted(JOB + "}");
    submitted(JOB + "}");
    int before = jobs.size();

    Response r = submit(JOB + "}");
    JsonNode p = problem(r, 429);
    assertThat(r.getHeaderString("Retry-After")).isNotBlank();
    assertThat(p.path("detail").asText())
        .contains("project 'etl'", "2 waiting jobs", "max_queued is 2");
    assertThat(jobs.size()).isEqualTo(before);

    // another project, and another queue's own limit, are counted apart
    assertThat(submit("{\"name\":\"n\",\"type\":\"etl\",\"project\":\"ml\"}").getStatus())
        .isEqualTo(201);
  }

  @Test
  void aQueuesMaxQueuedLimitsOnlyThatQueue() {
    limitsSet("etl", "{\"queues\":{\"gpu\":{\"max_queued\":1}}}");
    submitted(JOB + ",\"queue\":\"gpu\"}");
    JsonNode p = problem(submit(JOB + ",\"queue\":\"gpu\"}"), 429);
    assertThat(p.path("detail").asText()).contains("queue 'gpu' of project 'etl'");
    submitted(JOB + ",\"queue\":\"cpu\"}");
  }

  @Test
  void anUnlimitedProjectsSubmitTakesNoLock() {
    limitsSet("ml", "{\"max_queued\":5}");
    submitted(JOB + "}");
    assertThat(limits.admissionLocks).isEmpty();
    submitted("{\"name\":\"n\",\"type\":\"etl\",\"project\":\"ml\"}");
    assertThat(limits.admissionLocks).containsExactly("ml");
  }

  @Test
  void aQueuedJobHeldByMaxRunningSaysConcurrencyLimitWithTheLimitAndItsUsage() {
    limitsSet("etl", "{\"max_running\":1}");
    submitted(JOB + "}");
    clock.advance(java.time.Duration.ofSeconds(1)); // the first is the older
    String second = submitted(JOB + "}").path("id").asText();
    Response claimed =
        post(
            WORKER,
            "api/v1/leases",
            "{\"worker_id\":\"w-1\",\"queues\":[\"default\"],\"max_tasks\":1}");
    assertThat(json(claimed).path("leases")).hasSize(1);

    JsonNode waiting = json(get(VIEWER, "api/v1/jobs/" + second)).path("waiting");
    assertThat(waiting.path("reason").asText())
        .as(waiting.toString())
        .isEqualTo("CONCURRENCY_LIMIT");
    assertThat(waiting.path("limit").path("scope").asText()).isEqualTo("project");
    assertThat(waiting.path("limit").path("limit").asLong()).isEqualTo(1);
    assertThat(waiting.path("limit").path("usage").asLong()).isEqualTo(1);
    assertThat(waiting.path("message").asText())
        .isEqualTo(
            "project 'etl' runs 1 job, its max_running is 1: the job starts when one of them ends");
  }
}
