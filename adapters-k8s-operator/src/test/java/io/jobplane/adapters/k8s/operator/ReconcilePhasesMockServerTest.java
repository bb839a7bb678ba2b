package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.JobId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's phases against fabric8's mock API server: what each reconcile asks of the API
 * server, counted from the server's own record of requests, and the applier as an injected
 * collaborator.
 */
@EnableKubernetesMockClient(crud = true)
class ReconcilePhasesMockServerTest {

  private static final String NAMESPACE = "team-a";
  private static final String NAME = "nightly-report";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  KubernetesMockServer server;
  KubernetesClient client;

  private final Store store = new Store(CLOCK);
  private final OperatorSettings settings =
      OperatorSettings.defaults().withClock(CLOCK).withApiUrl("http://jobplane.example:8080");
  private JobReconciler reconciler = new JobReconciler(store.cluster, settings);

  @BeforeEach
  void registerCrd() {
    JobResourceTestData.registerCrd(client);
  }

  @Test
  void aResyncThatFindsNothingChangedWritesNothing() {
    apply();
    reconcile();
    assertThat(writesOf(this::resync)).as("resync of a queued run").isEmpty();

    Job batch = client.batch().v1().jobs().inNamespace(NAMESPACE).withName(NAME + "-r1").get();
    batch.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.batch().v1().jobs().resource(batch).updateStatus();
    assertThat(reconcile().getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);

    assertThat(writesOf(this::resync)).as("resync of a finished run").isEmpty();
  }

  @Test
  void startingARunWritesTheCredentialAndTheBatchJobOnly() {
    apply();

    List<String> writes = writesOf(() -> reconciler.reconcile(get(), context()));

    assertThat(writes)
        .containsExactly(
            "POST /api/v1/namespaces/team-a/secrets", "POST /apis/batch/v1/namespaces/team-a/jobs");
  }

  @Test
  void withRoutineEventsStartingARunAlsoRecordsCreatedAndQueued() {
    reconciler = new JobReconciler(store.cluster, settings.withRoutineEvents(true));
    apply();

    List<String> writes = writesOf(() -> reconciler.reconcile(get(), context()));

    assertThat(writes)
        .containsExactly(
            "POST /api/v1/namespaces/team-a/secrets",
            "POST /apis/batch/v1/namespaces/team-a/jobs",
            "POST /api/v1/namespaces/team-a/events",
            "POST /api/v1/namespaces/team-a/events");
  }

  @Test
  void aReconcileThatSeesTheResourceBeforeItsOwnStatusPatchRepeatsNothing() {
    apply();
    JobResource beforePatch = get();
    UpdateControl<JobResource> first = reconciler.reconcile(beforePatch, context());
    assertThat(first.isPatchStatus()).isTrue();

    // the informer has not shown the patch yet: the batch Job's event brings the old resource
    List<String> writes =
        writesOf(
            () ->
                assertThat(
                        reconciler
                            .reconcile(beforePatch, new TestContext<>(client, beforePatch))
                            .isNoUpdate())
                    .isTrue());

    assertThat(writes).as("no second status patch, no second Queued event").isEmpty();
  }

  @Test
  void theApplierIsAnInjectedCollaborator() {
    List<String> calls = new ArrayList<>();
    RunApplier recording =
        new RunApplier() {
          @Override
          public Job createRun(
              JobResource resource,
              JobId id,
              RunPlan run,
              PodTemplateSpec template,
              String heldBy) {
            calls.add("create " + run.batchName());
            Job job = BatchJobs.build(resource, run.runId(), template, List.of());
            return client.batch().v1().jobs().resource(job).create();
          }

          @Override
          public Job resumeRun(JobResource resource, Job batch) {
            calls.add("resume " + batch.getMetadata().getName());
            return batch;
          }

          @Override
          public void deleteRun(JobResource resource, RunPlan run, String why) {
            calls.add("delete " + run.batchName());
          }

          @Override
          public void releaseForCleanup(JobResource resource, Job batch) {
            calls.add("release " + batch.getMetadata().getName());
          }
        };
    reconciler =
        new JobReconciler(
            store.cluster,
            settings,
            c -> {
              JobReconciler.Phases real = JobReconciler.Phases.of(c, store.cluster, settings);
              return new JobReconciler.Phases(
                  real.observer(), recording, real.store(), real.status(), real.events());
            });
    apply();

    JobResource queued = reconcile();

    assertThat(calls).containsExactly("create nightly-report-r1");
    assertThat(queued.getStatus().getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems())
        .as("the recording applier made no credential Secret")
        .isEmpty();
  }

  private void resync() {
    UpdateControl<JobResource> control = reconciler.reconcile(get(), context());
    assertThat(control.isNoUpdate()).isTrue();
  }

  /** The writes (anything but GET) the API server received while {@code action} ran. */
  private List<String> writesOf(Runnable action) {
    drain();
    action.run();
    return drain().stream()
        .filter(r -> !"GET".equals(r.getMethod()))
        .map(r -> r.getMethod() + " " + r.getPath().split("\\?")[0])
        .toList();
  }

  private List<RecordedRequest> drain() {
    List<RecordedRequest> requests = new ArrayList<>();
    try {
      for (RecordedRequest r = server.takeRequest(50, TimeUnit.MILLISECONDS);
          r != null;
          r = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
        requests.add(r);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return requests;
  }

  private TestContext<JobResource> context() {
    return new TestContext<>(client, get());
  }

  private JobResource reconcile() {
    JobResource current = get();
    UpdateControl<JobResource> control =
        reconciler.reconcile(current, new TestContext<>(client, current));
    if (control.isPatchStatus()) {
      current.setStatus(control.getResource().orElseThrow().getStatus());
      client.resources(JobResource.class).inNamespace(NAMESPACE).resource(current).updateStatus();
    }
    return get();
  }

  private JobResource get() {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).withName(NAME).get();
  }

  private void apply() {
    client
        .resources(JobResource.class)
        .inNamespace(NAMESPACE)
        .resource(JobResourceTestData.aJob(NAME))
        .create();
  }
}
