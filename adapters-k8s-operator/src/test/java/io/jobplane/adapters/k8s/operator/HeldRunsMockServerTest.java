package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes jobs under their project's {@code max_running} (Kueue's model): a run without room is
 * created suspended and shown queued with the limit, and is resumed once the store admits it.
 */
@EnableKubernetesMockClient(crud = true)
class HeldRunsMockServerTest {

  private static final String NAMESPACE = JobResourceTestData.NAMESPACE;
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC);

  KubernetesClient client;

  private final Store store = new Store(CLOCK);
  private final JobReconciler reconciler =
      new JobReconciler(store.cluster, OperatorSettings.defaults().withClock(CLOCK));

  @BeforeEach
  void setUp() {
    JobResourceTestData.registerCrd(client);
    store.limits.put(
        JobDefinition.DEFAULT_PROJECT,
        new ProjectLimits(1, null, 1, Map.of()),
        "admin",
        CLOCK.instant());
  }

  @Test
  void aRunBeyondItsProjectsMaxRunningIsCreatedSuspendedAndResumedOnceTheProjectHasRoom() {
    apply("first");
    apply("second");

    reconcile("first");
    UpdateControl<JobResource> held = reconcile("second");

    assertThat(BatchJobs.isHeld(batch("first"))).isFalse();
    assertThat(batch("first").getSpec().getSuspend()).isFalse();
    assertThat(store.job(jobId("first")).status())
        .as("admitted: counts as running from now")
        .isEqualTo(JobStatus.RUNNING);
    Job second = batch("second");
    assertThat(second.getSpec().getSuspend()).isTrue();
    assertThat(second.getMetadata().getAnnotations().get(BatchJobs.HELD_ANNOTATION))
        .contains("max_running is 1");
    assertThat(resource("second").getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(resource("second").getStatus().getMessage())
        .isEqualTo(
            "project 'default' runs 1 job, its max_running is 1: the job starts when one of them"
                + " ends");
    assertThat(store.job(jobId("second")).status()).isEqualTo(JobStatus.QUEUED);
    assertThat(held.getScheduleDelay()).contains(JobReconciler.HELD_RECHECK.toMillis());

    assertThat(BatchJobs.isHeld(batch("second")))
        .as("still no room: a look again changes nothing")
        .isTrue();
    reconcile("second");
    assertThat(BatchJobs.isHeld(batch("second"))).isTrue();

    finish("first");
    assertThat(reconcile("first").getScheduleDelay()).isEmpty();
    assertThat(resource("first").getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);

    UpdateControl<JobResource> resumed = reconcile("second");

    Job running = batch("second");
    assertThat(running.getSpec().getSuspend()).isFalse();
    assertThat(running.getMetadata().getAnnotations()).doesNotContainKey(BatchJobs.HELD_ANNOTATION);
    assertThat(store.job(jobId("second")).status()).isEqualTo(JobStatus.RUNNING);
    assertThat(resource("second").getStatus().getMessage()).as("no longer held").isNull();
    assertThat(resumed.getScheduleDelay()).isEmpty();
  }

  @Test
  void aHeldRunThatIsStoppedIsDeletedAndNeverStarts() {
    apply("first");
    apply("second");
    reconcile("first");
    reconcile("second");

    JobResource second = resource("second");
    second.getSpec().setDesiredState(DesiredState.STOPPED);
    client.resources(JobResource.class).inNamespace(NAMESPACE).resource(second).update();
    reconcile("second");

    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("second-r1").get())
        .isNull();
    assertThat(store.job(jobId("second")).status()).isIn(JobStatus.STOPPED, JobStatus.STOPPING);
    assertThat(store.job(jobId("first")).status()).isEqualTo(JobStatus.RUNNING);
  }

  @Test
  void withoutARunningLimitTheBatchJobStartsUnsuspendedAndTheJobWaitsForItsPods() {
    store.limits.put(JobDefinition.DEFAULT_PROJECT, ProjectLimits.NONE, "admin", CLOCK.instant());
    apply("first");

    reconcile("first");

    assertThat(BatchJobs.isHeld(batch("first"))).isFalse();
    assertThat(store.job(jobId("first")).status()).isEqualTo(JobStatus.QUEUED);
  }

  private void finish(String name) {
    Job batch = batch(name);
    batch.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.batch().v1().jobs().resource(batch).updateStatus();
  }

  private UpdateControl<JobResource> reconcile(String name) {
    JobResource current = resource(name);
    UpdateControl<JobResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));
    if (control.isPatchStatus()) {
      current.setStatus(control.getResource().orElseThrow().getStatus());
      client.resources(JobResource.class).inNamespace(NAMESPACE).resource(current).updateStatus();
    }
    return control;
  }

  private Job batch(String name) {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name + "-r1").get();
  }

  private String jobId(String name) {
    return resource(name).getStatus().getJobId();
  }

  private JobResource resource(String name) {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private void apply(String name) {
    client
        .resources(JobResource.class)
        .inNamespace(NAMESPACE)
        .resource(JobResourceTestData.aJob(name))
        .create();
  }
}
