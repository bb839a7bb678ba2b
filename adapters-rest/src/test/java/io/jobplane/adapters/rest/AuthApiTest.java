package io.jobplane.adapters.rest;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class AuthApiTest extends ApiTestSupport {

  @Test
  void without_a_token_the_api_is_401_with_a_bearer_challenge() {
    Response r = get(null, "api/v1/jobs");
    JsonNode p = problem(r, 401);
    assertThat(r.getHeaderString("WWW-Authenticate")).startsWith("Bearer");
    assertThat(p.get("detail").asText()).contains("missing bearer token");
  }

  @Test
  void a_bad_token_is_401() {
    Response r = get("wrong-token", "api/v1/jobs");
    problem(r, 401);
    assertThat(r.getHeaderString("WWW-Authenticate"))
        .startsWith("Bearer")
        .contains("invalid_token");
  }

  @Test
  void another_scheme_is_401() {
    Response r =
        at("api/v1/jobs").request().header("Authorization", "Basic YWRtaW46YWRtaW4=").get();
    problem(r, 401);
  }

  @Test
  void unknown_routes_also_need_a_token() {
    problem(get(null, "api/v1/secret-route"), 401);
  }

  @Test
  void a_viewer_reads_but_cannot_write() {
    JobSnapshot job = jobs.insert(aJob().buildJob());
    assertThat(get(VIEWER, "api/v1/jobs/" + job.id()).getStatus()).isEqualTo(200);
    assertThat(get(VIEWER, "api/v1/jobs").getStatus()).isEqualTo(200);

    JsonNode p = problem(post(VIEWER, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\"}"), 403);
    assertThat(p.get("type").asText()).isEqualTo("https://jobplane.io/problems/forbidden");
    problem(post(VIEWER, "api/v1/jobs/" + job.id() + "/stop", "{}"), 403);
    problem(as(VIEWER, "api/v1/jobs/" + job.id()).delete(), 403);
    assertThat(jobs.findById(job.id())).contains(job);
  }

  @Test
  void a_worker_token_cannot_use_the_jobs_api() {
    problem(get(WORKER, "api/v1/jobs"), 403);
  }

  @Test
  void a_job_of_another_project_is_404_for_a_scoped_token() {
    JobSnapshot billing = jobs.insert(aJob().inProject("billing").buildJob());
    JobSnapshot etl = jobs.insert(aJob().inProject("etl").buildJob());

    JsonNode p = problem(get(ETL, "api/v1/jobs/" + billing.id()), 404);
    assertThat(p.get("type").asText()).isEqualTo("https://jobplane.io/problems/not-found");
    problem(get(ETL, "api/v1/jobs/" + billing.id() + "/events"), 404);
    problem(post(ETL, "api/v1/jobs/" + billing.id() + "/stop", "{}"), 404);
    assertThat(get(ETL, "api/v1/jobs/" + etl.id()).getStatus()).isEqualTo(200);

    JsonNode list = json(get(ETL, "api/v1/jobs"));
    assertThat(list.get("total").asLong()).isEqualTo(1);
    assertThat(list.get("items").get(0).get("project").asText()).isEqualTo("etl");
    assertThat(list.get("status_counts").get("QUEUED").asLong()).isEqualTo(1);
  }

  @Test
  void a_scoped_token_cannot_submit_to_another_project() {
    problem(
        post(ETL, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"billing\"}"), 403);
    assertThat(
            post(ETL, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"etl\"}")
                .getStatus())
        .isEqualTo(201);
  }

  @Test
  void the_caller_is_recorded_as_creator() {
    JsonNode job =
        json(post(ETL, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"etl\"}"));
    assertThat(job.get("created_by").asText()).isEqualTo("etl");
    assertThat(
            jobs.findById(io.jobplane.domain.JobId.parse(job.get("id").asText()))
                .orElseThrow()
                .status())
        .isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void idempotency_keys_are_per_token() {
    String body = "{\"name\":\"n\",\"type\":\"t\",\"project\":\"etl\"}";
    Response mine =
        as(SUBMITTER, "api/v1/jobs")
            .header("Idempotency-Key", "k")
            .post(jakarta.ws.rs.client.Entity.json(body));
    Response theirs =
        as(ETL, "api/v1/jobs")
            .header("Idempotency-Key", "k")
            .post(jakarta.ws.rs.client.Entity.json(body));
    assertThat(mine.getStatus()).isEqualTo(201);
    assertThat(theirs.getStatus()).isEqualTo(201);
    assertThat(json(theirs).get("id")).isNotEqualTo(json(mine).get("id"));
  }
}
