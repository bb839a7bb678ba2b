package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobScheduleResource;
import io.jobplane.adapters.k8s.crd.JobScheduleSpec;
import io.jobplane.adapters.k8s.crd.JobScheduleStatus;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.adapters.k8s.crd.JobTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@code jobplane serve --with-operator} process against a Kubernetes API: fabric8's mock
 * API server in CRUD mode here (no Docker engine), reached through a kubeconfig as kubectl would.
 * The test plays the cluster's batch controller by writing batch Job status.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesE2EIT {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesE2EIT.class);
  private static final String NS = "analytics";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final String API_URL = "http://jobplane.example:8080";

  KubernetesMockServer server;
  KubernetesClient mockClient;

  private KubernetesBackend backend;
  private KubernetesClient client;

  @TempDir Path dir;
  private JobplaneProcess jobplane;
  private Api api;

  @BeforeEach
  void start() throws IOException {
    backend = KubernetesBackend.start(server, mockClient);
    client = backend.client();
    LOG.info("backend: {}", backend.description());
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(Path.of("../charts/jobplane/crds/jobs.jobplane.io-v1.yml").toFile())
        .create();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(Path.of("../charts/jobplane/crds/jobschedules.jobplane.io-v1.yml").toFile())
        .create();
    backend.createNamespace(NS);
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, backend.kubeconfig());
    List<String> args =
        new ArrayList<>(
            List.of(
                "--with-operator",
                "--api-url",
                API_URL,
                // the tenancy rules of issue 12: project default runs in analytics (and the
                // refusing namespace), only report-creds may be mounted there
                "--project-namespaces",
                "default=" + NS + ",locked",
                "--project-namespaces",
                "ml=ml-jobs",
                "--allowed-secrets",
                NS + "=report-creds"));
    args.addAll(backend.serveArgs(dir));
    jobplane =
        JobplaneProcess.start(
            dir.resolve("data"),
            0,
            Map.of("KUBECONFIG", kubeconfig.toString()),
            args.toArray(String[]::new));
    api = new Api(jobplane.baseUrl(), JobplaneProcess.adminToken(dir.resolve("data")));
  }

  @AfterEach
  void stop() throws Exception {
    if (jobplane != null) {
      jobplane.terminate();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  void anAppliedJobResourceRunsAsABatchJobAndItsSuccessShowsInTheApi() throws Exception {
    client.resources(JobResource.class).inNamespace(NS).resource(resource("nightly")).create();

    Job batch = awaitBatchJob("nightly-r1");
    backend.finishSuccessfully(batch);

    await().atMost(WAIT).until(() -> phase("nightly") == JobPhase.SUCCEEDED);
    String id = resourceNamed("nightly").getStatus().getJobId();
    JsonNode job = api.get("/api/v1/jobs/" + id).body();
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("runtime").asText()).isEqualTo("kubernetes");
    assertThat(job.at("/kubernetes/namespace").asText()).isEqualTo(NS);
    JsonNode events = api.get("/api/v1/jobs/" + id + "/events").body();
    assertThat(events.get("items").findValuesAsText("event"))
        .containsExactly("SUBMITTED", "QUEUED", "STARTED", "SUCCEEDED");

    // both kinds in one list: filter by runtime, page with the cursor
    Api.Response worker = api.post("/api/v1/jobs", "{\"name\":\"w\",\"type\":\"etl\"}");
    assertThat(worker.status()).isEqualTo(201);
    assertThat(api.get("/api/v1/jobs?runtime=kubernetes").body().get("total").asInt()).isEqualTo(1);
    assertThat(api.get("/api/v1/jobs?runtime=worker").body().get("total").asInt()).isEqualTo(1);
    JsonNode page1 = api.get("/api/v1/jobs?limit=1&sort=created_at").body();
    JsonNode page2 =
        api.get("/api/v1/jobs?limit=1&sort=created_at&cursor=" + page1.get("next_cursor").asText())
            .body();
    assertThat(page1.at("/items/0/runtime").asText()).isEqualTo("kubernetes");
    assertThat(page2.at("/items/0/runtime").asText()).isEqualTo("worker");
    assertThat(page1.get("total").asInt()).isEqualTo(2);
  }

  @Test
  void aJobScheduleStartsAJobResourceEverySecondAndItsStatusShowsTheLastOne() throws Exception {
    JobTemplate template = new JobTemplate();
    template.setSpec(resource("template").getSpec());
    JobScheduleSpec spec = new JobScheduleSpec();
    spec.setSchedule("* * * * * *");
    spec.setJobTemplate(template);
    spec.setSuccessfulJobsHistoryLimit(100);
    JobScheduleResource schedule = new JobScheduleResource();
    schedule.setMetadata(
        new ObjectMetaBuilder().withName("every-second").withNamespace(NS).build());
    schedule.setSpec(spec);
    client.resources(JobScheduleResource.class).inNamespace(NS).resource(schedule).create();

    // the API server's loop ticks it; the operator refreshes the status just after each tick
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JobScheduleStatus s = scheduleStatus("every-second");
              return s != null && s.getLastJob() != null && s.getLastScheduledTime() != null;
            });
    JobScheduleStatus status = scheduleStatus("every-second");
    assertThat(status.getNextRunTime()).isNotNull();
    assertThat(Instant.parse(status.getNextRunTime()))
        .isAfter(Instant.parse(status.getLastScheduledTime()));
    assertThat(status.getLastJob().getName()).isEqualTo("job-" + status.getLastJob().getId());
    assertThat(status.getLastJob().getPhase()).isNotNull();
    JobResource job = resourceNamed(status.getLastJob().getName());
    assertThat(job).as("the tick's job is a Job resource in the schedule's namespace").isNotNull();
    assertThat(job.getSpec().getLabels())
        .containsEntry("jobplane.io/schedule", status.getScheduleId());
    // more ticks follow, each a job of the schedule
    await()
        .atMost(WAIT)
        .until(
            () ->
                api.get("/api/v1/jobs?labels=jobplane.io%2Fschedule%3D" + status.getScheduleId())
                        .body()
                        .get("total")
                        .asInt()
                    >= 3);

    String path = "/api/v1/schedules/" + status.getScheduleId();
    assertThat(api.get(path).body().get("cron").asText()).isEqualTo("* * * * * *");
    Api.Response refused = api.delete(path);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.body().get("detail").asText())
        .contains("JobSchedule resource " + NS + "/every-second");

    client.resources(JobScheduleResource.class).inNamespace(NS).withName("every-second").delete();
    await().atMost(WAIT).until(() -> api.get(path).status() == 404);
  }

  private JobScheduleStatus scheduleStatus(String name) {
    JobScheduleResource r =
        client.resources(JobScheduleResource.class).inNamespace(NS).withName(name).get();
    return r == null ? null : r.getStatus();
  }

  @Test
  void aRestSubmittedKubernetesJobBecomesAResourceAndStopsAndRestartsThroughIt() throws Exception {
    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"train\",\"type\":\"training\",\"runtime\":\"kubernetes\","
                + "\"kubernetes\":{\"namespace\":\""
                + NS
                + "\",\"name\":\"train\",\"pod_template\":"
                + podTemplateJson(true)
                + "}}");
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(201);
    String id = submitted.body().get("id").asText();
    JobResource created = resourceNamed("train");
    assertThat(created.getMetadata().getAnnotations()).containsEntry("jobplane.io/job-id", id);

    Job batch = awaitBatchJob("train-r1");
    backend.markRunning(batch);
    await().atMost(WAIT).until(() -> status(id).equals("RUNNING"));
    assertThat(batch.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName())
        .contains("JOBPLANE_API_URL", "JOBPLANE_TOKEN");

    Api.Response stop = api.post("/api/v1/jobs/" + id + "/stop", "{}");
    assertThat(stop.status())
        .as("accepted: the operator confirms the stop " + stop.raw())
        .isEqualTo(202);
    assertThat(resourceNamed("train").getSpec().getDesiredState()).isEqualTo(DesiredState.STOPPED);
    await().atMost(WAIT).until(() -> status(id).equals("STOPPED"));
    await()
        .atMost(WAIT)
        .until(() -> client.batch().v1().jobs().inNamespace(NS).withName("train-r1").get() == null);

    Api.Response restart = api.post("/api/v1/jobs/" + id + "/restart", "{}");
    assertThat(restart.status()).as(restart.raw()).isEqualTo(200);
    awaitBatchJob("train-r2");
    await().atMost(WAIT).until(() -> Integer.valueOf(2).equals(runId("train")));
    assertThat(api.get("/api/v1/jobs/" + id).body().get("run_id").asInt()).isEqualTo(2);
  }

  @Test
  void aProjectsMaxRunningHoldsItsNextKubernetesJobSuspendedUntilTheRunningOneStops()
      throws Exception {
    Api.Response limits =
        api.exchange(
            "PUT",
            "/api/v1/projects/default/limits",
            Map.of("Content-Type", "application/json"),
            "{\"max_running\":1}");
    assertThat(limits.status()).as(limits.raw()).isEqualTo(200);

    String first = submitLongRunning("first");
    assertThat(awaitBatchJob("first-r1").getSpec().getSuspend()).isFalse();
    await()
        .atMost(WAIT)
        .alias("admitted: counts against max_running before its pods run")
        .until(() -> status(first).equals("RUNNING"));

    String second = submitLongRunning("second");
    Job held = awaitBatchJob("second-r1");
    assertThat(held.getSpec().getSuspend()).as("created suspended: Kueue's model").isTrue();
    await()
        .atMost(WAIT)
        .until(
            () ->
                phase("second") == JobPhase.QUEUED
                    && resourceNamed("second").getStatus().getMessage() != null);
    assertThat(resourceNamed("second").getStatus().getMessage())
        .contains("project 'default' runs 1 job, its max_running is 1");
    JsonNode waiting = api.get("/api/v1/jobs/" + second).body();
    assertThat(waiting.get("status").asText()).isEqualTo("QUEUED");
    assertThat(waiting.at("/waiting/reason").asText()).isEqualTo("CONCURRENCY_LIMIT");
    assertThat(waiting.at("/waiting/limit/limit").asInt()).isEqualTo(1);
    assertThat(waiting.at("/waiting/limit/usage").asInt()).isEqualTo(1);

    assertThat(api.post("/api/v1/jobs/" + first + "/stop", "{}").status()).isEqualTo(202);
    await().atMost(WAIT).until(() -> status(first).equals("STOPPED"));
    await()
        .atMost(WAIT)
        .alias("resumed once the project has room")
        .until(
            () ->
                Boolean.FALSE.equals(
                    client
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(NS)
                        .withName("second-r1")
                        .get()
                        .getSpec()
                        .getSuspend()));
    await().atMost(WAIT).until(() -> status(second).equals("RUNNING"));
  }

  private String submitLongRunning(String name) throws IOException, InterruptedException {
    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\""
                + name
                + "\",\"type\":\"training\",\"runtime\":\"kubernetes\","
                + "\"kubernetes\":{\"namespace\":\""
                + NS
                + "\",\"name\":\""
                + name
                + "\",\"pod_template\":"
                + podTemplateJson(true)
                + "}}");
    assertThat(submitted.status()).as(submitted.raw()).isEqualTo(201);
    return submitted.body().get("id").asText();
  }

  @Test
  void aPrivilegedPodTemplateIsRejectedAndTheApiSaysWhy() throws Exception {
    Api.Response submitted =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"root\",\"type\":\"ops\",\"runtime\":\"kubernetes\","
                + "\"kubernetes\":{\"namespace\":\""
                + NS
                + "\",\"name\":\"root\",\"pod_template\":{\"spec\":{\"hostNetwork\":true,"
                + "\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}}}");
    String id = submitted.body().get("id").asText();

    await().atMost(WAIT).until(() -> status(id).equals("REJECTED"));
    JsonNode job = api.get("/api/v1/jobs/" + id).body();
    assertThat(job.at("/error/message").asText()).contains("hostNetwork");
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void aSubmitTheClusterRefusesIsAClientErrorAndTheJobIsRejectedWithTheClustersReason()
      throws Exception {
    String refusing = backend.refusingNamespace();

    Api.Response refused =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"x\",\"type\":\"ops\",\"runtime\":\"kubernetes\","
                + "\"kubernetes\":{\"namespace\":\""
                + refusing
                + "\",\"pod_template\":"
                + podTemplateJson(false)
                + "}}");

    assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.raw()).contains("the cluster refused the job's resource");
    // the row committed with its launch intent (the outbox); the refusal rejected it, and no
    // resource exists for it
    JsonNode job = api.get("/api/v1/jobs").body().at("/items/0");
    assertThat(job.get("status").asText()).isEqualTo("REJECTED");
    assertThat(job.at("/error/reason").asText()).isEqualTo("CLUSTER_REFUSED");
    assertThat(job.at("/error/message").asText()).contains("the cluster refused");
    assertThat(refused.body().get("detail").asText()).contains(job.get("id").asText());
    assertThat(client.resources(JobResource.class).inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aPlacementOutsideTheProjectsNamespacesGets403AndStoresNothing() throws Exception {
    Api.Response elsewhere = submit("default", "ml-jobs", podTemplateJson(false));
    Api.Response unmapped = submit("billing", NS, podTemplateJson(false));

    assertThat(elsewhere.status()).as(elsewhere.raw()).isEqualTo(403);
    assertThat(elsewhere.contentType()).startsWith("application/problem+json");
    assertThat(elsewhere.body().get("detail").asText())
        .isEqualTo(
            "project default may not run jobs in namespace ml-jobs (allowed: analytics, locked)");
    assertThat(unmapped.status()).as(unmapped.raw()).isEqualTo(403);
    assertThat(unmapped.body().get("detail").asText())
        .isEqualTo(
            "project billing may not run jobs in namespace analytics (it is allowed no namespace)");
    assertThat(api.get("/api/v1/jobs").body().get("total").asInt()).isZero();
    assertThat(client.resources(JobResource.class).inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void aPodTemplateReferencingASecretOffTheNamespacesAllowListGets403() throws Exception {
    Api.Response refused = submit("default", NS, podTemplateWithSecretVolume("billing-db"));
    Api.Response allowed = submit("default", NS, podTemplateWithSecretVolume("report-creds"));

    assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.body().get("detail").asText())
        .contains(
            "spec.volumes[0].secret.secretName: Secret billing-db is not on the allow-list of"
                + " namespace analytics");
    assertThat(allowed.status()).as(allowed.raw()).isEqualTo(201);
    assertThat(api.get("/api/v1/jobs").body().get("total").asInt())
        .as("only the allowed one")
        .isOne();
  }

  @Test
  void aJobResourceAppliedInANamespaceItsProjectMayNotUseIsRejected() throws Exception {
    JobResource resource = resource("stray");
    resource.getSpec().setProject("ml");
    client.resources(JobResource.class).inNamespace(NS).resource(resource).create();

    await().atMost(WAIT).until(() -> phase("stray") == JobPhase.REJECTED);
    assertThat(resourceNamed("stray").getStatus().getMessage())
        .contains("project ml may not run jobs in namespace analytics (allowed: ml-jobs)");
    assertThat(client.batch().v1().jobs().inNamespace(NS).list().getItems()).isEmpty();
  }

  private Api.Response submit(String project, String namespace, String podTemplate)
      throws IOException, InterruptedException {
    return api.post(
        "/api/v1/jobs",
        "{\"name\":\"t\",\"type\":\"ops\",\"project\":\""
            + project
            + "\",\"runtime\":\"kubernetes\",\"kubernetes\":{\"namespace\":\""
            + namespace
            + "\",\"pod_template\":"
            + podTemplate
            + "}}");
  }

  private static String podTemplateWithSecretVolume(String secret) {
    return "{\"spec\":{\"securityContext\":{\"runAsUser\":1000},\"volumes\":[{\"name\":"
        + "\"creds\",\"secret\":{\"secretName\":\""
        + secret
        + "\"}}],\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\","
        + "\"command\":[\"true\"]}]}}";
  }

  private String status(String id) throws IOException, InterruptedException {
    return api.get("/api/v1/jobs/" + id).body().get("status").asText();
  }

  private Job awaitBatchJob(String name) {
    return await()
        .atMost(WAIT)
        .until(
            () -> client.batch().v1().jobs().inNamespace(NS).withName(name).get(), j -> j != null);
  }

  private JobResource resourceNamed(String name) {
    return client.resources(JobResource.class).inNamespace(NS).withName(name).get();
  }

  private JobPhase phase(String name) {
    JobResource r = resourceNamed(name);
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  private Integer runId(String name) {
    JobResource r = resourceNamed(name);
    return r == null || r.getStatus() == null ? null : r.getStatus().getRunId();
  }

  /** A pod that the restricted policy admits (non-root) and a real kubelet can run. */
  private static String podTemplateJson(boolean longRunning) {
    return "{\"spec\":{\"securityContext\":{\"runAsUser\":1000},\"containers\":[{\"name\":"
        + "\"main\",\"image\":\"busybox:1.36\",\"command\":[\"sh\",\"-c\",\""
        + (longRunning ? "sleep 600" : "true")
        + "\"]}]}}";
  }

  private static JobResource resource(String name) {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .withCommand(KubernetesBackend.command(false))
                    .build())
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .endSecurityContext()
            .endSpec()
            .build());
    JobResource resource = new JobResource();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    resource.setSpec(spec);
    return resource;
  }
}
