package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.application.security.AllowedSecrets;
import io.jobplane.application.security.ProjectNamespaces;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JobReconciler} against fabric8's mock API server in CRUD mode: reconcile() is called
 * directly with a {@link TestContext}, and a patchStatus answer is written to the status
 * subresource as JOSDK would.
 */
@EnableKubernetesMockClient(crud = true)
class JobReconcilerMockServerTest {

  private static final String NAMESPACE = "team-a";
  private static final String NAME = "nightly-report";

  KubernetesClient client;

  private MixedOperation<JobResource, KubernetesResourceList<JobResource>, Resource<JobResource>>
      jobs;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private final Store store = new Store(CLOCK);
  private JobReconciler reconciler =
      new JobReconciler(
          store.cluster, OperatorSettings.defaults().withClock(CLOCK).withRoutineEvents(true));

  @BeforeEach
  void registerCrd() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    jobs = client.resources(JobResource.class);
  }

  @Test
  void createsOneOwnedBatchJobWithTheDeterministicNameAndStaysIdempotent() {
    JobResource resource = apply(spec());

    JobResource after = reconcile();
    reconcile();
    reconcile();

    List<Job> batchJobs = batchJobs();
    assertThat(batchJobs).singleElement().satisfies(job -> assertOwned(job, resource, 1));
    assertThat(after.getStatus().getRunId()).isEqualTo(1);
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(after.getSpec().getPodTemplate()).isEqualTo(resource.getSpec().getPodTemplate());
  }

  @Test
  void secondReconcileWithoutChangesPatchesNothing() {
    apply(spec());
    reconcile();

    JobResource current = get();
    UpdateControl<JobResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));

    assertThat(control.isNoUpdate()).isTrue();
  }

  @Test
  void runningBatchJobMakesTheResourceRunning() {
    apply(spec());
    reconcile();
    setBatchStatus(
        "nightly-report-r1",
        new JobStatusBuilder()
            .withActive(2)
            .withSucceeded(1)
            .withStartTime("2026-11-23T10:00:05Z")
            .build());

    JobResource after = reconcile();

    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(after.getStatus().getProgress()).isEqualTo(25.0);
    assertThat(after.getStatus().getStartTime()).isEqualTo("2026-11-23T10:00:05Z");
    assertThat(condition(after, JobCondition.READY).getStatus())
        .isEqualTo(JobCondition.Status.True);
    assertThat(condition(after, JobCondition.FINISHED).getStatus())
        .isEqualTo(JobCondition.Status.False);
  }

  @Test
  void succeededBatchJobMakesTheResourceSucceeded() {
    apply(spec());
    reconcile();
    succeed("nightly-report-r1");

    JobResource after = reconcile();

    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(after.getStatus().getProgress()).isEqualTo(100.0);
    assertThat(after.getStatus().getCompletionTime()).isEqualTo("2026-11-23T10:05:00Z");
    JobCondition finished = condition(after, JobCondition.FINISHED);
    assertThat(finished.getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(finished.getReason()).isEqualTo("Succeeded");
    assertThat(condition(after, JobCondition.SUCCEEDED).getStatus())
        .isEqualTo(JobCondition.Status.True);
  }

  @Test
  void backoffLimitExceededMakesTheResourceFailed() {
    apply(spec());
    reconcile();
    fail("nightly-report-r1", "BackoffLimitExceeded", "Job has reached the specified backoff");

    JobResource after = reconcile();

    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(after.getStatus().getMessage()).isEqualTo("Job has reached the specified backoff");
    assertThat(condition(after, JobCondition.FINISHED).getReason()).isEqualTo("Failed");
    assertThat(condition(after, JobCondition.FAILED).getStatus())
        .isEqualTo(JobCondition.Status.True);
  }

  @Test
  void deadlineExceededMakesTheResourceTimedOut() {
    apply(spec());
    reconcile();
    fail("nightly-report-r1", "DeadlineExceeded", "Job was active longer than specified");

    JobResource after = reconcile();

    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.TIMED_OUT);
    assertThat(condition(after, JobCondition.FINISHED).getStatus())
        .isEqualTo(JobCondition.Status.True);
    assertThat(condition(after, JobCondition.FINISHED).getReason()).isEqualTo("TimedOut");
  }

  @Test
  void desiredStateStoppedDeletesTheBatchJobAndEndsStopped() {
    apply(spec());
    reconcile();
    assertThat(batchJobs()).hasSize(1);

    JobResource current = get();
    current.getSpec().setDesiredState(DesiredState.STOPPED);
    jobs.inNamespace(NAMESPACE).resource(current).update();
    JobResource after = reconcile();
    reconcile();

    assertThat(batchJobs()).isEmpty();
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.STOPPED);
    assertThat(condition(after, JobCondition.FINISHED).getReason()).isEqualTo("Stopped");
    assertThat(get().getStatus().getPhase()).isEqualTo(JobPhase.STOPPED);
  }

  @Test
  void changedRestartNonceStartsRunTwoAndLeavesRunOneAlone() {
    JobResource resource = apply(spec());
    reconcile();
    succeed("nightly-report-r1");
    reconcile();
    Job runOne = batchJob("nightly-report-r1");

    JobResource current = get();
    current.getSpec().setRestartNonce("again-1");
    jobs.inNamespace(NAMESPACE).resource(current).update();
    JobResource after = reconcile();
    reconcile();

    assertThat(after.getStatus().getRunId()).isEqualTo(2);
    assertThat(after.getStatus().getObservedRestartNonce()).isEqualTo("again-1");
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(condition(after, JobCondition.FINISHED).getStatus())
        .isEqualTo(JobCondition.Status.False);
    assertThat(batchJobs()).hasSize(2);
    assertOwned(batchJob("nightly-report-r2"), resource, 2);
    assertThat(batchJob("nightly-report-r1")).isEqualTo(runOne);
  }

  @Test
  void foreignBatchJobWithTheSameNameIsLeftAloneAndReportedAsNameConflict() {
    Job foreign =
        client
            .batch()
            .v1()
            .jobs()
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName("nightly-report-r1")
                    .withNamespace(NAMESPACE)
                    .addToLabels("owner", "someone-else")
                    .endMetadata()
                    .withNewSpec()
                    .withTemplate(spec().getPodTemplate())
                    .endSpec()
                    .build())
            .create();
    apply(spec());

    JobResource after = reconcile();

    assertThat(batchJobs()).singleElement().isEqualTo(foreign);
    JobCondition conflict = condition(after, JobCondition.NAME_CONFLICT);
    assertThat(conflict.getStatus()).isEqualTo(JobCondition.Status.True);
    assertThat(conflict.getMessage()).contains("nightly-report-r1");
    assertThat(after.getStatus().getPhase()).isNull();

    client.batch().v1().jobs().resource(foreign).delete();
    JobResource resolved = reconcile();
    assertThat(condition(resolved, JobCondition.NAME_CONFLICT).getStatus())
        .isEqualTo(JobCondition.Status.False);
    assertThat(batchJobs()).singleElement().satisfies(job -> assertOwned(job, get(), 1));
  }

  @Test
  void theStoreFollowsTheClusterAndTheStatusShowsTheStoreJob() {
    JobResource resource = apply(spec());
    JobResource queued = reconcile();
    String id = queued.getStatus().getJobId();

    assertThat(id).isEqualTo(resource.getMetadata().getUid());
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.QUEUED);
    assertThat(store.job(id).definition().kubernetes().resourceName()).isEqualTo(NAME);

    setBatchStatus(
        "nightly-report-r1", new JobStatusBuilder().withActive(2).withSucceeded(1).build());
    reconcile();
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.RUNNING);
    assertThat(store.job(id).progress()).isEqualTo(25);

    succeed("nightly-report-r1");
    JobResource done = reconcile();
    reconcile();

    assertThat(done.getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.SUCCEEDED);
    assertThat(store.timeline(id))
        .extracting(e -> e.type().name())
        .containsExactly("SUBMITTED", "QUEUED", "STARTED", "SUCCEEDED");
    assertThat(eventReasons()).contains("Created", "Queued", "Running", "Succeeded");
  }

  @Test
  void aFailedPodIsRecordedAsAnApplicationFailureInTheStore() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    pod("nightly-report-r1-abc", 1, terminated(3, "Error"));
    fail("nightly-report-r1", "BackoffLimitExceeded", "Job has reached the specified backoff");

    JobResource after = reconcile();

    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.FAILED);
    assertThat(store.job(id).error().reason()).isEqualTo("APPLICATION_FAILURE");
    assertThat(store.job(id).error().message()).contains("exit").contains("3");
    assertThat(after.getStatus().getMessage()).isEqualTo(store.job(id).error().message());
    assertThat(eventReasons()).contains("Failed");
  }

  @Test
  void anEvictedPodIsRecordedAsAnInfrastructureFailure() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    Pod evicted = pod("nightly-report-r1-xyz", 1, null);
    evicted.getStatus().setPhase("Failed");
    evicted.getStatus().setReason("Evicted");
    evicted.getStatus().setMessage("The node was low on resource: memory.");
    client.pods().resource(evicted).updateStatus();
    fail("nightly-report-r1", "BackoffLimitExceeded", "Job has reached the specified backoff");

    reconcile();

    assertThat(store.job(id).error().reason()).isEqualTo("INFRASTRUCTURE_FAILURE");
  }

  @Test
  void timeoutEndsTimedOutInTheStore() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    fail("nightly-report-r1", "DeadlineExceeded", "Job was active longer than specified");

    reconcile();

    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.TIMED_OUT);
  }

  @Test
  void aBatchJobDeletedBehindTheOperatorsBackFailsTheRunAndSaysSo() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    setBatchStatus("nightly-report-r1", new JobStatusBuilder().withActive(1).build());
    reconcile();
    client.batch().v1().jobs().inNamespace(NAMESPACE).withName("nightly-report-r1").delete();

    JobResource after = reconcile();
    reconcile();

    assertThat(batchJobs()).as("not silently re-run").isEmpty();
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(after.getStatus().getMessage()).contains("was deleted");
    assertThat(store.job(id).error().reason()).isEqualTo("BATCH_JOB_DELETED");
    assertThat(store.timeline(id)).extracting(e -> e.type().name()).endsWith("FAILED");
    assertThat(eventReasons()).contains("BatchJobDeleted");
  }

  @Test
  void aPrivilegedPodTemplateIsRejectedAndNothingIsCreated() {
    JobSpec spec = spec();
    spec.getPodTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());
    apply(spec);

    JobResource after = reconcile();
    reconcile();

    assertThat(batchJobs()).isEmpty();
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.REJECTED);
    assertThat(after.getStatus().getMessage()).contains("privileged");
    assertThat(condition(after, JobCondition.FINISHED).getReason()).isEqualTo("Rejected");
    assertThat(store.job(after.getStatus().getJobId()).status())
        .isEqualTo(io.jobplane.domain.JobStatus.REJECTED);
    assertThat(eventReasons()).contains("Rejected");
  }

  @Test
  void aResourceInANamespaceItsProjectMayNotUseIsRejectedAndNothingIsCreated() {
    PodPolicy policy =
        PodPolicy.defaults()
            .withProjectNamespaces(
                new ProjectNamespaces(
                    Map.of("analytics", Set.of("etl-prod"), "ml", Set.of(NAMESPACE))));
    reconciler =
        new JobReconciler(
            store.cluster, OperatorSettings.defaults().withClock(CLOCK).withPolicy(policy));
    JobSpec spec = spec();
    spec.setProject("analytics");
    apply(spec);

    JobResource after = reconcile();
    reconcile();

    assertThat(batchJobs()).isEmpty();
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.REJECTED);
    assertThat(after.getStatus().getMessage())
        .contains("project analytics may not run jobs in namespace team-a (allowed: etl-prod)");
    assertThat(condition(after, JobCondition.FINISHED).getReason()).isEqualTo("Rejected");
    assertThat(store.job(after.getStatus().getJobId()).status())
        .isEqualTo(io.jobplane.domain.JobStatus.REJECTED);
  }

  @Test
  void aPodTemplateReferencingASecretOffTheNamespacesAllowListIsRejected() {
    PodPolicy policy =
        PodPolicy.defaults()
            .withAllowedSecrets(new AllowedSecrets(Map.of(NAMESPACE, Set.of("report-creds"))));
    reconciler =
        new JobReconciler(
            store.cluster, OperatorSettings.defaults().withClock(CLOCK).withPolicy(policy));
    JobSpec spec = spec();
    spec.getPodTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .setEnv(
            List.of(
                new EnvVarBuilder()
                    .withName("DB_PASSWORD")
                    .withNewValueFrom()
                    .withNewSecretKeyRef("password", "billing-db", false)
                    .endValueFrom()
                    .build()));
    apply(spec);

    JobResource after = reconcile();

    assertThat(batchJobs()).isEmpty();
    assertThat(after.getStatus().getPhase()).isEqualTo(JobPhase.REJECTED);
    assertThat(after.getStatus().getMessage())
        .contains(
            "spec.containers[0].env[0].valueFrom.secretKeyRef.name: Secret billing-db is not on"
                + " the allow-list of namespace team-a");
  }

  @Test
  void aDeniedNamespaceIsRejected() {
    JobResource job = new JobResource();
    job.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace("kube-system").build());
    job.setSpec(spec());
    jobs.inNamespace("kube-system").resource(job).create();
    JobResource current = jobs.inNamespace("kube-system").withName(NAME).get();

    UpdateControl<JobResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));

    assertThat(control.getResource().orElseThrow().getStatus().getPhase())
        .isEqualTo(JobPhase.REJECTED);
    assertThat(control.getResource().orElseThrow().getStatus().getMessage())
        .contains("kube-system");
    assertThat(client.batch().v1().jobs().inNamespace("kube-system").list().getItems()).isEmpty();
  }

  @Test
  void podsGetTheApiUrlAndACredentialForTheirRunOnly() {
    reconciler =
        new JobReconciler(
            store.cluster,
            OperatorSettings.defaults().withClock(CLOCK).withApiUrl("http://jobplane:8080"));
    apply(spec());
    String id = reconcile().getStatus().getJobId();

    Job batch = batchJob("nightly-report-r1");
    var env = batch.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .extracting(e -> e.getName())
        .contains("JOBPLANE_API_URL", "JOBPLANE_JOB_ID", "JOBPLANE_RUN_ID", "JOBPLANE_TOKEN");
    var tokenRef =
        env.stream().filter(e -> e.getName().equals("JOBPLANE_TOKEN")).findFirst().orElseThrow();
    assertThat(tokenRef.getValue()).as("never in the batch Job").isNull();
    Secret secret =
        client
            .secrets()
            .inNamespace(NAMESPACE)
            .withName(tokenRef.getValueFrom().getSecretKeyRef().getName())
            .get();
    String token =
        new String(
            java.util.Base64.getDecoder().decode(secret.getData().get(JobReconciler.TOKEN_KEY)),
            java.nio.charset.StandardCharsets.UTF_8);
    var caller = store.runCredentials.authenticate(token).orElseThrow();
    assertThat(caller.run().jobId().toString()).isEqualTo(id);
    assertThat(caller.run().runId()).isEqualTo(1);
    assertThat(caller.canRead()).as("reports only").isFalse();
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement();
  }

  @Test
  void theTtlIsSetOnlyAfterTheOutcomeIsInTheStore() {
    JobSpec spec = spec();
    spec.setTtlSecondsAfterFinished(60);
    apply(spec);
    reconcile();
    assertThat(batchJob("nightly-report-r1").getSpec().getTtlSecondsAfterFinished()).isNull();

    succeed("nightly-report-r1");
    reconcile();

    assertThat(batchJob("nightly-report-r1").getSpec().getTtlSecondsAfterFinished()).isEqualTo(60);
  }

  @Test
  void deletionThroughTheFinalizerStopsTheStoreJobAndRemovesTheBatchJobs() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    setBatchStatus("nightly-report-r1", new JobStatusBuilder().withActive(2).build());
    reconcile();

    JobResource current = get();
    var control = reconciler.cleanup(current, new TestContext<>(client, current));

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(batchJobs()).isEmpty();
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.STOPPED);
    assertThat(store.timeline(id).get(store.timeline(id).size() - 1).source()).contains("deleted");
  }

  @Test
  void anOperatorRestartAfterCreatingTheBatchJobButBeforeTheStatusPatchCreatesNoDuplicate() {
    apply(spec());
    JobResource before = get();
    reconciler.reconcile(before, new TestContext<>(client, before)); // its status patch is lost

    JobReconciler restarted =
        new JobReconciler(store.cluster, OperatorSettings.defaults().withClock(CLOCK));
    reconciler = restarted;
    JobResource after = reconcile();

    assertThat(batchJobs()).hasSize(1);
    assertThat(after.getStatus().getBatchJob()).isEqualTo("nightly-report-r1");
    assertThat(store.jobs.countByStatus().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
  }

  @Test
  void aRestartNonceStartsTheNextRunInTheStoreToo() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    succeed("nightly-report-r1");
    reconcile();

    JobResource current = get();
    current.getSpec().setRestartNonce("again");
    jobs.inNamespace(NAMESPACE).resource(current).update();
    reconcile();

    assertThat(store.job(id).runId()).isEqualTo(2);
    assertThat(store.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.QUEUED);
  }

  @Test
  void aRestartFromACheckpointHandsItToTheNewRunsPodsAndTheStore() {
    apply(spec());
    String id = reconcile().getStatus().getJobId();
    fail("nightly-report-r1", "BackoffLimitExceeded", "exit 1");
    reconcile();

    JobResource current = get();
    current.getSpec().setRestartNonce("resume");
    current.getSpec().setFromCheckpoint("chk-3");
    jobs.inNamespace(NAMESPACE).resource(current).update();
    reconcile();

    assertThat(checkpointEnv("nightly-report-r1"))
        .as("the first run started from scratch")
        .isEmpty();
    assertThat(checkpointEnv("nightly-report-r2")).containsExactly("chk-3");
    assertThat(store.job(id).runId()).isEqualTo(2);
    assertThat(store.job(id).checkpointId()).isEqualTo("chk-3");
  }

  private List<String> checkpointEnv(String batchName) {
    return batchJob(batchName).getSpec().getTemplate().getSpec().getContainers().stream()
        .flatMap(c -> c.getEnv() == null ? java.util.stream.Stream.empty() : c.getEnv().stream())
        .filter(e -> e.getName().equals(BatchJobs.CHECKPOINT_ENV))
        .map(e -> e.getValue())
        .toList();
  }

  private List<String> eventReasons() {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .map(e -> e.getReason())
        .toList();
  }

  private Pod pod(String name, int runId, ContainerState state) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .addToLabels(BatchJobs.JOB_LABEL, NAME)
            .addToLabels(BatchJobs.RUN_LABEL, Integer.toString(runId))
            .addToAnnotations(BatchJobs.RESOURCE_ANNOTATION, NAME)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("ghcr.io/example/report:1.2")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase(state == null ? "Running" : "Failed")
            .endStatus()
            .build();
    if (state != null) {
      pod.getStatus()
          .setContainerStatuses(
              List.of(
                  new ContainerStatusBuilder()
                      .withName("main")
                      .withImage("ghcr.io/example/report:1.2")
                      .withState(state)
                      .build()));
    }
    return client.pods().resource(pod).create();
  }

  private static ContainerState terminated(int exitCode, String reason) {
    return new ContainerStateBuilder()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .endTerminated()
        .build();
  }

  private JobResource apply(JobSpec spec) {
    JobResource job = new JobResource();
    job.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(NAMESPACE).build());
    job.setSpec(spec);
    return jobs.inNamespace(NAMESPACE).resource(job).create();
  }

  /** One reconcile as JOSDK runs it: on the current resource, applying a status patch. */
  private JobResource reconcile() {
    JobResource current = get();
    UpdateControl<JobResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));
    assertThat(control.isPatchResource()).as("never the spec").isFalse();
    assertThat(control.isPatchResourceAndStatus()).as("never the spec").isFalse();
    if (control.isPatchStatus()) {
      current.setStatus(control.getResource().orElseThrow().getStatus());
      // the whole status, as server-side apply of an atomic list does; the mock server's merge
      // patch would append to status.conditions instead of replacing it
      jobs.inNamespace(NAMESPACE).resource(current).updateStatus();
    }
    return get();
  }

  private JobResource get() {
    return jobs.inNamespace(NAMESPACE).withName(NAME).get();
  }

  private List<Job> batchJobs() {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
  }

  private Job batchJob(String name) {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
  }

  private void succeed(String name) {
    setBatchStatus(
        name,
        new JobStatusBuilder()
            .withSucceeded(4)
            .withStartTime("2026-11-23T10:00:05Z")
            .withCompletionTime("2026-11-23T10:05:00Z")
            .withConditions(
                new JobConditionBuilder()
                    .withType("Complete")
                    .withStatus("True")
                    .withLastTransitionTime("2026-11-23T10:05:00Z")
                    .build())
            .build());
  }

  private void fail(String name, String reason, String message) {
    setBatchStatus(
        name,
        new JobStatusBuilder()
            .withFailed(1)
            .withStartTime("2026-11-23T10:00:05Z")
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason(reason)
                    .withMessage(message)
                    .withLastTransitionTime("2026-11-23T10:07:00Z")
                    .build())
            .build());
  }

  private void setBatchStatus(String name, io.fabric8.kubernetes.api.model.batch.v1.JobStatus s) {
    Job job = batchJob(name);
    job.setStatus(s);
    client.batch().v1().jobs().resource(job).updateStatus();
  }

  private static JobCondition condition(JobResource resource, String type) {
    return resource.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static void assertOwned(Job job, JobResource resource, int runId) {
    assertThat(job.getMetadata().getName()).isEqualTo("nightly-report-r" + runId);
    assertThat(job.getMetadata().getLabels())
        .containsEntry(BatchJobs.JOB_LABEL, NAME)
        .containsEntry(BatchJobs.RUN_LABEL, Integer.toString(runId));
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getUid()).isEqualTo(resource.getMetadata().getUid());
              assertThat(ref.getApiVersion()).isEqualTo("jobplane.io/v1");
              assertThat(ref.getKind()).isEqualTo("Job");
              assertThat(ref.getName()).isEqualTo(NAME);
              assertThat(ref.getController()).isTrue();
              assertThat(ref.getBlockOwnerDeletion()).isTrue();
            });
  }

  private static JobSpec spec() {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setParallelism(2);
    spec.setCompletions(4);
    spec.setMaxAttempts(3);
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage("ghcr.io/example/report:1.2")
                    .build())
            .endSpec()
            .build());
    return spec;
  }
}
