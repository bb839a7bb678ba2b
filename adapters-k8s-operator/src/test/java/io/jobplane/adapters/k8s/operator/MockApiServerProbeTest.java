package io.jobplane.adapters.k8s.operator;

import static io.jobplane.adapters.k8s.operator.JobResourceTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins what fabric8's mock API server (CRUD mode, fabric8 7.5.2) does where the operator's tests
 * depend on it, including where it is not a real API server. Each test names the tests that rely on
 * the behaviour or work around its absence. When a fabric8 upgrade changes one of these, this class
 * fails first and says which assumption moved.
 */
@EnableKubernetesMockClient(crud = true)
class MockApiServerProbeTest {

  private static final String NAMESPACE = JobResourceTestData.NAMESPACE;
  private static final String FINALIZER = "jobplane.io/cleanup";

  KubernetesClient client;

  private MixedOperation<JobResource, KubernetesResourceList<JobResource>, Resource<JobResource>>
      jobs;

  @BeforeEach
  void registerCrd() {
    jobs = JobResourceTestData.registerCrd(client);
  }

  /**
   * Owner references ({@link BatchJobs#ownerReference}) need the uid; observedGeneration needs the
   * generation. Relied on by every JobReconcilerMockServerTest.
   */
  @Test
  void createAssignsUidResourceVersionAndGenerationOne() {
    JobResource created = create(aJob("nightly-report"));

    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(created.getMetadata().getCreationTimestamp()).isNotBlank();
  }

  /**
   * Relied on by JobReconciler's create-only path (a retry after a lost response finds the batch
   * Job instead of duplicating it) and by KubernetesEventsTest.aRepeatBumpsCount..., whose repeat
   * is detected by this 409.
   */
  @Test
  void createOfAnExistingNameIsRejectedWithConflict() {
    create(aJob("nightly-report"));
    client.batch().v1().jobs().resource(batchJob("nightly-report-r1", null)).create();

    assertRejectedWith(HttpURLConnection.HTTP_CONFLICT, () -> create(aJob("nightly-report")));
    assertRejectedWith(
        HttpURLConnection.HTTP_CONFLICT,
        () -> client.batch().v1().jobs().resource(batchJob("nightly-report-r1", null)).create());
  }

  /**
   * Optimistic locking on the main resource, as JOSDK relies on for spec/metadata writes; a test of
   * a conflicting update can provoke it with two stale copies.
   */
  @Test
  void updateWithAStaleResourceVersionIsRejectedWithConflict() {
    create(aJob("nightly-report"));
    JobResource first = get("nightly-report");
    JobResource stale = get("nightly-report");
    first.getSpec().setParallelism(2);
    jobs.inNamespace(NAMESPACE).resource(first).update();

    stale.getSpec().setParallelism(3);

    assertRejectedWith(
        HttpURLConnection.HTTP_CONFLICT,
        () -> jobs.inNamespace(NAMESPACE).resource(stale).update());
    assertThat(get("nightly-report").getSpec().getParallelism()).isEqualTo(2);
  }

  /**
   * NOT a real API server: a PUT to /status with a stale resourceVersion is accepted (a real server
   * answers 409). A merge patch carrying the stale resourceVersion is rejected. So a test of "a
   * conflicting status update is retried" must inject the 409 with the mock server's expectations
   * (server.expect()) or use patchStatus, never rely on updateStatus conflicting by itself.
   */
  @Test
  void statusPutIgnoresAStaleResourceVersionButAStatusPatchCarryingItConflicts() {
    create(aJob("nightly-report"));
    JobResource fresh = get("nightly-report");
    JobResource stale = get("nightly-report");
    fresh.setStatus(status(JobPhase.RUNNING));
    jobs.inNamespace(NAMESPACE).resource(fresh).updateStatus();

    stale.setStatus(status(JobPhase.FAILED));
    jobs.inNamespace(NAMESPACE).resource(stale).updateStatus();

    assertThat(get("nightly-report").getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    stale.setStatus(status(JobPhase.SUCCEEDED));
    assertRejectedWith(
        HttpURLConnection.HTTP_CONFLICT,
        () -> jobs.inNamespace(NAMESPACE).resource(stale).patchStatus());
  }

  /**
   * Relied on by JobReconcilerOperatorTest: JobReconciler's informer watches only batch Jobs with
   * the {@link BatchJobs#JOB_LABEL} key (an "exists" selector), for list and watch alike.
   */
  @Test
  void labelSelectorsFilterListAndWatch() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Watch watch =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(NAMESPACE)
            .withLabel(BatchJobs.JOB_LABEL)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Job job) {
                    seen.add(action + " " + job.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      client.batch().v1().jobs().resource(batchJob("foreign", null)).create();
      client.batch().v1().jobs().resource(batchJob("nightly-report-r1", "nightly-report")).create();
      client.batch().v1().jobs().resource(batchJob("other-r1", "other")).create();

      // events arrive in order: once other-r1 is seen, foreign would have been seen before it
      await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("ADDED other-r1"));
      assertThat(seen).containsExactly("ADDED nightly-report-r1", "ADDED other-r1");
    } finally {
      watch.close();
    }
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel(BatchJobs.JOB_LABEL)
                .list()
                .getItems())
        .extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder("nightly-report-r1", "other-r1");
    assertThat(
            client
                .batch()
                .v1()
                .jobs()
                .inNamespace(NAMESPACE)
                .withLabel(BatchJobs.JOB_LABEL, "other")
                .list()
                .getItems())
        .extracting(j -> j.getMetadata().getName())
        .containsExactly("other-r1");
  }

  /**
   * NOT a real API server: no garbage collector, so deleting a {@code Job} resource leaves the
   * batch Jobs it owns. Tests of deletion must assert the operator's own cleanup (finalizer path)
   * at the reconciler level, and must not expect owned batch Jobs to vanish by themselves.
   */
  @Test
  void deletingAnOwnerDoesNotGarbageCollectItsDependents() {
    JobResource owner = create(aJob("nightly-report"));
    Job dependent = batchJob("nightly-report-r1", "nightly-report");
    dependent.getMetadata().setOwnerReferences(List.of(BatchJobs.ownerReference(owner)));
    client.batch().v1().jobs().resource(dependent).create();

    jobs.inNamespace(NAMESPACE).withName("nightly-report").delete();

    assertThat(get("nightly-report")).isNull();
    Job left =
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("nightly-report-r1").get();
    assertThat(left).isNotNull();
    assertThat(BatchJobs.isOwnedBy(left, owner)).isTrue();
  }

  /**
   * Like a real API server: deleting an object with finalizers only sets deletionTimestamp; it is
   * removed once an update empties its finalizers. A finalizer test can therefore drive the cleanup
   * path through the mock server.
   */
  @Test
  void deletingAnObjectWithFinalizersMarksItUntilTheFinalizersAreRemoved() {
    JobResource resource = aJob("nightly-report");
    resource.getMetadata().setFinalizers(new ArrayList<>(List.of(FINALIZER)));
    create(resource);

    jobs.inNamespace(NAMESPACE).withName("nightly-report").delete();

    JobResource marked = get("nightly-report");
    assertThat(marked).isNotNull();
    assertThat(marked.getMetadata().getDeletionTimestamp()).isNotBlank();
    assertThat(marked.getMetadata().getFinalizers()).containsExactly(FINALIZER);

    marked.getMetadata().setFinalizers(new ArrayList<>());
    jobs.inNamespace(NAMESPACE).resource(marked).update();

    assertThat(get("nightly-report")).isNull();
  }

  /**
   * Relied on by JobReconcilerMockServerTest.desiredStateStoppedDeletesTheBatchJobAndEndsStopped:
   * an object without finalizers is gone as soon as the delete returns, whatever the propagation
   * policy (a real server deletes pods later, in the background; the mock has no pods).
   */
  @Test
  void deletingAnObjectWithoutFinalizersRemovesItAtOnce() {
    client.batch().v1().jobs().resource(batchJob("nightly-report-r1", "nightly-report")).create();

    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(NAMESPACE)
        .withName("nightly-report-r1")
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();

    assertThat(
            client.batch().v1().jobs().inNamespace(NAMESPACE).withName("nightly-report-r1").get())
        .isNull();
  }

  /**
   * Like a real API server for a CRD with the status subresource: an update of the resource keeps
   * the status, an update of /status keeps the spec, and only spec changes bump the generation.
   * Relied on by JobReconcilerMockServerTest (spec changes through update(), status through
   * updateStatus(), observedGeneration assertions).
   */
  @Test
  void customResourceStatusIsASubresourceAndOnlySpecChangesBumpTheGeneration() {
    create(aJob("nightly-report"));
    JobResource withStatus = get("nightly-report");
    withStatus.setStatus(status(JobPhase.RUNNING));
    jobs.inNamespace(NAMESPACE).resource(withStatus).updateStatus();
    assertThat(get("nightly-report").getMetadata().getGeneration()).isEqualTo(1L);

    JobResource specChange = get("nightly-report");
    specChange.getSpec().setParallelism(2);
    specChange.getStatus().setPhase(JobPhase.FAILED);
    jobs.inNamespace(NAMESPACE).resource(specChange).update();

    JobResource afterUpdate = get("nightly-report");
    assertThat(afterUpdate.getSpec().getParallelism()).isEqualTo(2);
    assertThat(afterUpdate.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(afterUpdate.getMetadata().getGeneration()).isEqualTo(2L);

    afterUpdate.getSpec().setParallelism(5);
    afterUpdate.getStatus().setPhase(JobPhase.SUCCEEDED);
    jobs.inNamespace(NAMESPACE).resource(afterUpdate).updateStatus();

    JobResource afterStatus = get("nightly-report");
    assertThat(afterStatus.getSpec().getParallelism()).isEqualTo(2);
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo(JobPhase.SUCCEEDED);
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(2L);

    afterStatus.getMetadata().getLabels().put("team", "a");
    jobs.inNamespace(NAMESPACE).resource(afterStatus).update();
    assertThat(get("nightly-report").getMetadata().getGeneration())
        .as("a metadata change is not a spec change")
        .isEqualTo(2L);
  }

  /**
   * NOT a real API server: for built-in kinds such as batch/v1 Job a plain update writes the status
   * too (a real server ignores it there), while /status still ignores the spec.
   * JobReconcilerMockServerTest.setBatchStatus writes batch Job status through updateStatus(),
   * which behaves the same on both.
   */
  @Test
  void aPlainUpdateOfABuiltInJobWritesItsStatus() {
    Job created =
        client
            .batch()
            .v1()
            .jobs()
            .resource(batchJob("nightly-report-r1", "nightly-report"))
            .create();

    created.setStatus(new JobStatusBuilder().withActive(1).build());
    client.batch().v1().jobs().resource(created).update();

    Job afterUpdate =
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("nightly-report-r1").get();
    assertThat(afterUpdate.getStatus().getActive()).isEqualTo(1);

    afterUpdate.getSpec().setParallelism(3);
    afterUpdate.setStatus(new JobStatusBuilder().withActive(2).build());
    client.batch().v1().jobs().resource(afterUpdate).updateStatus();

    Job afterStatus =
        client.batch().v1().jobs().inNamespace(NAMESPACE).withName("nightly-report-r1").get();
    assertThat(afterStatus.getStatus().getActive()).isEqualTo(2);
    assertThat(afterStatus.getSpec().getParallelism()).isNull();
  }

  /**
   * NOT a real API server: a JSON merge patch of the status merges list items into the existing
   * list instead of replacing it (RFC 7386 replaces arrays). Why JobReconcilerMockServerTest's
   * reconcile() applies JobReconciler's status patch with updateStatus(): with patchStatus() the
   * conditions would pile up.
   */
  @Test
  void aStatusMergePatchAppendsToListsInsteadOfReplacingThem() {
    create(aJob("nightly-report"));
    JobResource current = get("nightly-report");
    current.setStatus(status(JobPhase.RUNNING));
    current
        .getStatus()
        .setConditions(
            new ArrayList<>(
                List.of(
                    new JobCondition("Ready", JobCondition.Status.True, "Running", null, "t1"))));
    jobs.inNamespace(NAMESPACE).resource(current).updateStatus();

    JobResource patch = new JobResource();
    patch.setMetadata(
        new ObjectMetaBuilder().withName("nightly-report").withNamespace(NAMESPACE).build());
    patch.setStatus(status(JobPhase.QUEUED));
    patch
        .getStatus()
        .setConditions(
            new ArrayList<>(
                List.of(
                    new JobCondition(
                        "Finished", JobCondition.Status.False, "Queued", null, "t2"))));
    jobs.inNamespace(NAMESPACE).resource(patch).patchStatus();

    JobStatus after = get("nightly-report").getStatus();
    assertThat(after.getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(after.getConditions())
        .extracting(JobCondition::getType)
        .containsExactly("Ready", "Finished");
  }

  /**
   * NOT a real API server: neither the CRD's OpenAPI schema nor its CEL rules are enforced
   * (completions below parallelism, a change of the immutable type), and built-in kinds are not
   * validated either (a batch Job without a pod template). JobResourceMockServerTest pins the
   * schema half for the spec; GeneratedCrdTest asserts the rules on the generated CRD instead, and
   * PodPolicyCheck is what the operator itself enforces.
   */
  @Test
  void neitherSchemaNorCelRulesNorBuiltInValidationAreEnforced() {
    JobResource invalid = aJob("nightly-report");
    invalid.getSpec().setParallelism(5);
    invalid.getSpec().setCompletions(2);
    create(invalid);

    assertThat(get("nightly-report").getSpec().getCompletions()).isEqualTo(2);

    JobResource typeChange = get("nightly-report");
    typeChange.getSpec().setType("another-type");
    jobs.inNamespace(NAMESPACE).resource(typeChange).update();

    assertThat(get("nightly-report").getSpec().getType()).isEqualTo("another-type");

    client
        .batch()
        .v1()
        .jobs()
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("empty")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .build())
        .create();
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).withName("empty").get())
        .isNotNull();
  }

  /**
   * NOT a real API server: server-side apply is not implemented (404 for a new object, 415
   * Unsupported Media Type for an existing one or its status). Why JobReconcilerOperatorTest turns
   * off JOSDK's default withUseSSAToPatchPrimaryResource, and why JobReconciler creates children
   * with create() rather than apply.
   */
  @Test
  void serverSideApplyIsNotSupported() {
    PatchContext apply =
        new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager("jobplane-operator")
            .withForce(true)
            .build();

    assertRejectedWith(
        HttpURLConnection.HTTP_NOT_FOUND,
        () -> jobs.inNamespace(NAMESPACE).resource(aJob("nightly-report")).serverSideApply());
    assertThat(get("nightly-report")).isNull();

    create(aJob("nightly-report"));
    JobResource change = aJob("nightly-report");
    change.getSpec().setParallelism(9);
    assertRejectedWith(
        HttpURLConnection.HTTP_UNSUPPORTED_TYPE,
        () -> jobs.inNamespace(NAMESPACE).resource(change).patch(apply));
    JobResource statusChange = aJob("nightly-report");
    statusChange.setStatus(status(JobPhase.RUNNING));
    assertRejectedWith(
        HttpURLConnection.HTTP_UNSUPPORTED_TYPE,
        () ->
            jobs.inNamespace(NAMESPACE).resource(statusChange).subresource("status").patch(apply));
    assertThat(get("nightly-report").getSpec().getParallelism()).isNull();
    assertThat(get("nightly-report").getStatus()).isNull();
  }

  private static void assertRejectedWith(int code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(code));
  }

  private JobResource create(JobResource resource) {
    return jobs.inNamespace(NAMESPACE).resource(resource).create();
  }

  private JobResource get(String name) {
    return jobs.inNamespace(NAMESPACE).withName(name).get();
  }

  private static JobStatus status(JobPhase phase) {
    JobStatus status = new JobStatus();
    status.setPhase(phase);
    return status;
  }

  /** A batch Job, labeled as the operator labels them when {@code owner} is not null. */
  private static Job batchJob(String name, String owner) {
    JobBuilder builder =
        new JobBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata();
    if (owner != null) {
      builder.editMetadata().addToLabels(BatchJobs.JOB_LABEL, owner).endMetadata();
    }
    return builder
        .withNewSpec()
        .withTemplate(aJob("template").getSpec().getPodTemplate())
        .endSpec()
        .build();
  }
}
