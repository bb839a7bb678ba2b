package io.jobplane.adapters.rest;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class LifecycleApiTest extends ApiTestSupport {

  private JobSnapshot job(JobStatus status) {
    return jobs.insert(aJob().withStatus(status).buildJob());
  }

  private String path(JobSnapshot job, String action) {
    return "api/v1/jobs/" + job.id() + (action.isEmpty() ? "" : "/" + action);
  }

  @Test
  void stopping_a_queued_job_is_200_stopped() {
    JobSnapshot job = job(JobStatus.QUEUED);
    Response r = post(SUBMITTER, path(job, "stop"), "{}");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getHeaderString("ETag")).isEqualTo("\"2\"");
    JsonNode body = json(r);
    assertThat(body.get("status").asText()).isEqualTo("STOPPED");
    assertThat(body.get("desired_state").asText()).isEqualTo("STOPPED");
    assertThat(body.get("running_desired").asBoolean()).isFalse();
  }

  @Test
  void stopping_without_a_body_uses_graceful() {
    JobSnapshot job = job(JobStatus.RUNNING);
    Response r = as(SUBMITTER, path(job, "stop")).post(null);
    assertThat(r.getStatus()).isEqualTo(202);
    assertThat(json(r).get("stop_mode").asText()).isEqualTo("graceful");
  }

  @Test
  void graceful_stop_of_a_running_job_is_202_stopping() {
    JobSnapshot job = job(JobStatus.RUNNING);
    Response r =
        post(SUBMITTER, path(job, "stop"), "{\"mode\":\"checkpoint\",\"timeout_seconds\":30}");
    assertThat(r.getStatus()).isEqualTo(202);
    JsonNode body = json(r);
    assertThat(body.get("status").asText()).isEqualTo("STOPPING");
    assertThat(body.get("stop_mode").asText()).isEqualTo("graceful");
  }

  @Test
  void forced_stop_of_a_running_job_is_200_stopped() {
    JobSnapshot job = job(JobStatus.RUNNING);
    Response r = post(SUBMITTER, path(job, "stop"), "{\"mode\":\"force\"}");
    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(json(r).get("status").asText()).isEqualTo("STOPPED");
  }

  @Test
  void stopping_a_finished_job_is_409() {
    JsonNode p = problem(post(SUBMITTER, path(job(JobStatus.SUCCEEDED), "stop"), "{}"), 409);
    assertThat(p.get("type").asText()).isEqualTo("https://jobplane.io/problems/illegal-transition");
  }

  @Test
  void restart_starts_a_new_run_with_the_given_parallelism_and_checkpoint() {
    JobSnapshot job = job(JobStatus.STOPPED);
    completedCheckpoint(job.id(), "chk-9");
    Response r =
        post(SUBMITTER, path(job, "restart"), "{\"checkpoint_id\":\"chk-9\",\"parallelism\":4}");
    assertThat(r.getStatus()).isEqualTo(200);
    JsonNode body = json(r);
    assertThat(body.get("status").asText()).isEqualTo("QUEUED");
    assertThat(body.get("run_id").asInt()).isEqualTo(2);
    assertThat(body.get("checkpoint_id").asText()).isEqualTo("chk-9");
    assertThat(body.get("parallelism").asInt()).isEqualTo(4);
  }

  @Test
  void restart_from_a_checkpoint_the_job_does_not_have_is_400_and_changes_nothing() {
    JobSnapshot job = job(JobStatus.STOPPED);
    JsonNode p =
        problem(post(SUBMITTER, path(job, "restart"), "{\"checkpoint_id\":\"chk-404\"}"), 400);
    assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("checkpoint_id");
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void a_checkpoint_id_with_control_characters_is_400_before_any_lookup() {
    // found by the OpenAPI fuzzer: the catalog lookup ran first and PostgreSQL refused the NUL
    JobSnapshot job = job(JobStatus.STOPPED);
    JsonNode p =
        problem(
            post(SUBMITTER, path(job, "restart"), "{\"checkpoint_id\":\"nul-\\u0000-byte\"}"), 400);
    assertThat(p.get("errors").get(0).get("field").asText()).isEqualTo("checkpoint_id");
    assertThat(p.get("errors").get(0).get("message").asText()).contains("control characters");
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void restart_without_a_body_works() {
    Response r = as(SUBMITTER, path(job(JobStatus.FAILED), "restart")).post(null);
    assertThat(r.getStatus()).isEqualTo(200);
  }

  @Test
  void restarting_a_running_job_is_409() {
    problem(post(SUBMITTER, path(job(JobStatus.RUNNING), "restart"), "{}"), 409);
  }

  @Test
  void suspend_and_resume() {
    JobSnapshot job = job(JobStatus.QUEUED);
    Response suspended = as(SUBMITTER, path(job, "suspend")).post(Entity.json(""));
    assertThat(suspended.getStatus()).isEqualTo(200);
    assertThat(json(suspended).get("status").asText()).isEqualTo("SUSPENDED");

    Response resumed = as(SUBMITTER, path(job, "resume")).post(null);
    assertThat(resumed.getStatus()).isEqualTo(200);
    JsonNode body = json(resumed);
    assertThat(body.get("status").asText()).isEqualTo("QUEUED");
    assertThat(body.get("version").asLong()).isEqualTo(3);
  }

  @Test
  void resuming_a_queued_job_is_409() {
    problem(as(SUBMITTER, path(job(JobStatus.QUEUED), "resume")).post(null), 409);
  }

  @Test
  void deleting_a_finished_job_is_204_and_then_it_is_gone() {
    JobSnapshot job = job(JobStatus.SUCCEEDED);
    Response r = as(SUBMITTER, path(job, "")).delete();
    assertThat(r.getStatus()).isEqualTo(204);
    problem(get(path(job, "")), 404);
    problem(get(path(job, "events")), 404);
  }

  @Test
  void deleting_a_running_job_is_409() {
    JobSnapshot job = job(JobStatus.RUNNING);
    problem(as(SUBMITTER, path(job, "")).delete(), 409);
    assertThat(jobs.findById(job.id())).isPresent();
  }

  @Test
  void full_flow_submit_stop_restart_suspend_resume_stop_delete() {
    String id = submitted("{\"name\":\"flow\",\"type\":\"t\"}").get("id").asText();
    String base = "api/v1/jobs/" + id;
    assertThat(json(post(SUBMITTER, base + "/stop", "{}")).get("status").asText())
        .isEqualTo("STOPPED");
    assertThat(json(post(SUBMITTER, base + "/restart", "{}")).get("run_id").asInt()).isEqualTo(2);
    assertThat(json(post(SUBMITTER, base + "/suspend", "{}")).get("status").asText())
        .isEqualTo("SUSPENDED");
    assertThat(json(post(SUBMITTER, base + "/resume", "{}")).get("status").asText())
        .isEqualTo("QUEUED");
    assertThat(
            json(post(SUBMITTER, base + "/stop", "{\"mode\":\"immediate\"}"))
                .get("status")
                .asText())
        .isEqualTo("STOPPED");
    JsonNode events = json(get(base + "/events?limit=100"));
    assertThat(events.get("total").asLong()).isEqualTo(7);
    assertThat(as(SUBMITTER, base).delete().getStatus()).isEqualTo(204);
    assertThat(jobs.size()).isZero();
  }
}
