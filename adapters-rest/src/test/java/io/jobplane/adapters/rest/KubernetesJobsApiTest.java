package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

class KubernetesJobsApiTest extends ApiTestSupport {

  private static final String K8S_JOB =
      "{\"name\":\"train\",\"type\":\"training\",\"runtime\":\"kubernetes\","
          + "\"kubernetes\":{\"namespace\":\"ml\",\"pod_template\":{\"spec\":{\"containers\":"
          + "[{\"name\":\"main\",\"image\":\"ghcr.io/example/train:1\"}]}}}}";

  @Test
  void aKubernetesSubmitHandsTheJobToTheClusterAndShowsWhereItIs() {
    JsonNode job = submitted(K8S_JOB);
    String id = job.get("id").asText();

    assertThat(job.get("runtime").asText()).isEqualTo("kubernetes");
    assertThat(job.get("status").asText()).isEqualTo("QUEUED");
    assertThat(job.at("/kubernetes/namespace").asText()).isEqualTo("ml");
    assertThat(job.at("/kubernetes/name").asText()).isEqualTo("job-" + id);
    assertThat(job.at("/kubernetes/pod_template/spec/containers/0/image").asText())
        .isEqualTo("ghcr.io/example/train:1");
    assertThat(workloads.calls).containsExactly("launch " + id + " run 1");
    assertThat(tasks.all()).as("no worker may lease it").isEmpty();
  }

  @Test
  void aClusterRefusalIsTheClientsErrorAndRejectsTheStoredJobWithTheClustersReason() {
    workloads.refusal =
        DomainException.invalid("kubernetes", "the cluster refused the job's resource: forbidden");

    JsonNode p = problem(submit(K8S_JOB), 400);

    assertThat(p.get("detail").asText())
        .startsWith("kubernetes: the cluster refused the job's resource: forbidden (job ")
        .endsWith(" ended REJECTED)");
    JsonNode listed = json(get("api/v1/jobs")).at("/items/0");
    assertThat(listed.get("status").asText()).isEqualTo("REJECTED");
    assertThat(listed.at("/error/reason").asText()).isEqualTo("CLUSTER_REFUSED");
    assertThat(listed.at("/error/message").asText()).contains("forbidden");
  }

  @Test
  void aPlatformPolicyRefusalIsDecidedBeforeAnyClusterCall() {
    // that the job row is rolled back with it takes a real transaction: see the e2e tests
    workloads.refusal =
        new DomainException(DomainException.Reason.FORBIDDEN, "refused by the platform policy");

    JsonNode p = problem(submit(K8S_JOB), 403);

    assertThat(p.get("detail").asText()).isEqualTo("refused by the platform policy");
    assertThat(workloads.calls).isEmpty();
  }

  @Test
  void aKubernetesJobNeedsItsPodTemplateAndNoWorkerCommand() {
    JsonNode noTemplate =
        problem(
            submit(
                "{\"name\":\"t\",\"type\":\"training\",\"runtime\":\"kubernetes\","
                    + "\"kubernetes\":{\"namespace\":\"ml\"}}"),
            400);
    assertThat(noTemplate.toString()).contains("kubernetes.pod_template");

    JsonNode noPlacement =
        problem(submit("{\"name\":\"t\",\"type\":\"training\",\"runtime\":\"kubernetes\"}"), 400);
    assertThat(noPlacement.toString()).contains("kubernetes");

    JsonNode badNamespace =
        problem(submit(K8S_JOB.replace("\"namespace\":\"ml\"", "\"namespace\":\"ML_Team\"")), 400);
    assertThat(badNamespace.toString()).contains("kubernetes.namespace");
  }

  @Test
  void stopAndRestartActThroughTheResource() {
    String id = submitted(K8S_JOB).get("id").asText();
    cluster.observe(JobId.parse(id), ClusterObservation.of(1, JobStatus.RUNNING));

    JsonNode stopping = json(post(SUBMITTER, "api/v1/jobs/" + id + "/stop", "{}"));
    assertThat(stopping.get("status").asText()).isEqualTo("STOPPING");
    cluster.observe(JobId.parse(id), ClusterObservation.of(1, JobStatus.STOPPED));

    JsonNode restarted = json(post(SUBMITTER, "api/v1/jobs/" + id + "/restart", "{}"));

    assertThat(restarted.get("run_id").asInt()).isEqualTo(2);
    assertThat(workloads.calls)
        .containsExactly(
            "launch " + id + " run 1", "stop " + id + " run 1", "restart " + id + " run 2");
  }

  @Test
  void suspendingAKubernetesJobOverRestSaysWhereToDoIt() {
    String id = submitted(K8S_JOB).get("id").asText();

    JsonNode p = problem(post(SUBMITTER, "api/v1/jobs/" + id + "/suspend", "{}"), 409);

    assertThat(p.get("detail").asText()).contains("spec.suspend");
  }

  @Test
  void aRunCredentialReportsForItsOwnJobOnlyAndCannotRead() {
    String id = submitted(K8S_JOB).get("id").asText();
    String other = submitted(K8S_JOB).get("id").asText();
    cluster.observe(JobId.parse(id), ClusterObservation.of(1, JobStatus.RUNNING));
    String token = cluster.issueRunCredential(JobId.parse(id), 1);
    String line = "{\"epoch\":0,\"lines\":[{\"level\":\"info\",\"message\":\"epoch 1 loss 0.3\"}]}";

    Response own = post(token, "api/v1/leases/" + id + "/tasks/0/logs", line);
    assertThat(own.getStatus()).as(json(own).toString()).isEqualTo(200);
    assertThat(json(get("api/v1/jobs/" + id + "/logs")).at("/data/0/message").asText())
        .isEqualTo("epoch 1 loss 0.3");

    problem(post(token, "api/v1/leases/" + other + "/tasks/0/logs", line), 403);
    problem(get(token, "api/v1/jobs/" + id), 403);
    problem(post(token, "api/v1/leases", "{\"worker_id\":\"pod\"}"), 403);

    cluster.observe(JobId.parse(id), ClusterObservation.of(1, JobStatus.SUCCEEDED));
    problem(post(token, "api/v1/leases/" + id + "/tasks/0/logs", line), 409);
  }
}
