package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkersApiTest extends ApiTestSupport {

  private void claim(String token, String workerId, String labels) {
    Response r =
        post(
            token,
            "api/v1/leases",
            "{\"worker_id\":\""
                + workerId
                + "\",\"hostname\":\"h-"
                + workerId
                + "\",\"labels\":"
                + labels
                + "}");
    assertThat(r.getStatus()).as(json(r).toString()).isEqualTo(200);
  }

  @Test
  void aClaimingWorkerIsListedWithItsLabelsHostQueuesAndTimes() {
    claim(WORKER, "w-eu", "{\"zone\":\"eu\",\"gpu\":\"a100\"}");
    claim(WORKER, "w-us", "{\"zone\":\"us\"}");

    Response r = get(VIEWER, "api/v1/workers");
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(200);
    JsonNode workers = body.path("workers");
    assertThat(workers).hasSize(2);
    JsonNode eu = workers.get(0);
    assertThat(eu.path("name").asText()).isEqualTo("w-eu");
    assertThat(eu.path("hostname").asText()).isEqualTo("h-w-eu");
    assertThat(eu.path("labels").path("gpu").asText()).isEqualTo("a100");
    assertThat(eu.path("queues").get(0).asText()).isEqualTo("default");
    assertThat(eu.path("tasks")).isEmpty();
    assertThat(eu.path("last_seen_at").asText()).isEqualTo(clock.instant().toString());
    assertThat(body.path("truncated").asBoolean()).isFalse();

    JsonNode gpu = json(get(VIEWER, "api/v1/workers?labels=gpu&limit=5")).path("workers");
    assertThat(gpu).hasSize(1);
    assertThat(gpu.get(0).path("name").asText()).isEqualTo("w-eu");
  }

  @Test
  void aWorkerThatStoppedClaimingLeavesTheListAfterTheActiveWindow() {
    claim(WORKER, "w-1", "{}");
    clock.advance(Duration.ofSeconds(31));
    assertThat(json(get(VIEWER, "api/v1/workers")).path("workers")).isEmpty();
  }

  @Test
  void aProjectLimitedCallerSeesOnlyWorkersLimitedToItsProjects() {
    claim(WORKER, "unscoped", "{}");
    claim(ETL_WORKER, "etl-1", "{}");

    JsonNode forEtl = json(get(ETL, "api/v1/workers")).path("workers");
    assertThat(forEtl).hasSize(1);
    assertThat(forEtl.get(0).path("name").asText()).isEqualTo("etl-1");
    assertThat(json(get(ADMIN, "api/v1/workers")).path("workers")).hasSize(2);
  }

  @Test
  void badLabelsOrSelectorsOrLimitsAreRefusedNamingTheField() {
    JsonNode claim =
        problem(
            post(WORKER, "api/v1/leases", "{\"worker_id\":\"w\",\"labels\":{\"zone\":\"a b\"}}"),
            400);
    assertThat(errorNames(claim)).containsExactly("labels");
    JsonNode list = problem(get(VIEWER, "api/v1/workers?labels=zone%3D%3D%3D&limit=0"), 400);
    assertThat(errorNames(list)).containsExactlyInAnyOrder("labels", "limit");
  }

  @Test
  void listingWorkersNeedsReadAccess() {
    problem(get(WORKER, "api/v1/workers"), 403);
  }

  @Test
  void aJobWithAWorkerSelectorShowsItAndGoesOnlyToMatchingWorkers() {
    JsonNode job =
        submitted(
            "{\"name\":\"n\",\"type\":\"t\",\"command\":[\"true\"],"
                + "\"worker_selector\":\"zone=eu\"}");
    assertThat(job.path("worker_selector").asText()).isEqualTo("zone=eu");
    assertThat(job.path("placement").path("mode").asText()).isEqualTo("any");

    assertThat(
            json(post(
                    WORKER, "api/v1/leases", "{\"worker_id\":\"us\",\"labels\":{\"zone\":\"us\"}}"))
                .path("leases"))
        .isEmpty();
    JsonNode leases =
        json(post(WORKER, "api/v1/leases", "{\"worker_id\":\"eu\",\"labels\":{\"zone\":\"eu\"}}"))
            .path("leases");
    assertThat(leases).hasSize(1);
    assertThat(leases.get(0).path("job_id").asText()).isEqualTo(job.path("id").asText());
  }

  @Test
  void badPlacementsAreRefusedNamingTheField() {
    String base = "{\"name\":\"n\",\"type\":\"t\",\"command\":[\"true\"],";
    assertThat(errorNames(problem(submit(base + "\"worker_selector\":\"zone=a b\"}"), 400)))
        .containsExactly("worker_selector");
    assertThat(errorNames(problem(submit(base + "\"placement\":{\"mode\":\"everywhere\"}}"), 400)))
        .containsExactly("placement.mode");
    assertThat(
            errorNames(
                problem(
                    submit(
                        base
                            + "\"worker_selector\":\"a=b\","
                            + "\"placement\":{\"worker_selector\":\"a=c\"}}"),
                    400)))
        .containsExactly("worker_selector");
    assertThat(
            errorNames(
                problem(submit(base + "\"placement\":{\"include_late_joiners\":true}}"), 400)))
        .containsExactly("placement.include_late_joiners");
  }
}
