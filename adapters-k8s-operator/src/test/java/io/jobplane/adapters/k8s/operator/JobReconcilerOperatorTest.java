package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as it runs ({@link JobplaneOperator}: JOSDK, informers, finalizer, retries) against
 * the mock API server: batch Job status comes back without polling, a refused status patch is
 * retried, a restarted operator creates no duplicate, and deletion goes through the finalizer.
 */
@EnableKubernetesMockClient(crud = true)
class JobReconcilerOperatorTest {

  private static final String NAMESPACE = JobResourceTestData.NAMESPACE;
  private static final Duration WAIT = Duration.ofSeconds(30);

  KubernetesClient client;
  KubernetesMockServer server;

  private final Store store = new Store(Clock.systemUTC());
  private JobplaneOperator operator;

  @BeforeEach
  void registerCrd() {
    JobResourceTestData.registerCrd(client);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  /** The mock server does not implement server-side apply, JOSDK's default for status patches. */
  private JobplaneOperator startOperator() {
    return JobplaneOperator.start(
        client, store.cluster, OperatorSettings.defaults(), Set.of(NAMESPACE), null, false);
  }

  @Test
  void batchJobStatusFlowsBackThroughTheInformer() {
    operator = startOperator();
    await().atMost(WAIT).until(operator::isReady);

    apply("op-test");
    await().atMost(WAIT).until(() -> batchJob("op-test-r1") != null && phase() == JobPhase.QUEUED);
    complete(batchJob("op-test-r1"));

    await().atMost(WAIT).until(() -> phase() == JobPhase.SUCCEEDED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(store.job(resource().getStatus().getJobId()).status())
        .isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void aStatusPatchTheApiServerRefusesIsRetriedAndNothingIsDuplicated() {
    server
        .expect()
        .patch()
        .withPath("/apis/jobplane.io/v1/namespaces/" + NAMESPACE + "/jobs/op-test/status")
        .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}")
        .times(2);
    operator = startOperator();

    apply("op-test");

    await().atMost(WAIT).until(() -> phase() == JobPhase.QUEUED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(resource().getStatus().getJobId()).isNotNull();
  }

  @Test
  void anOperatorRestartedMidRunCreatesNoSecondBatchJobAndPicksUpTheOutcome() {
    operator = startOperator();
    apply("op-test");
    await().atMost(WAIT).until(() -> batchJob("op-test-r1") != null);
    operator.close();

    complete(batchJob("op-test-r1")); // finishes while no operator runs
    operator = startOperator();

    await().atMost(WAIT).until(() -> phase() == JobPhase.SUCCEEDED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(store.timeline(resource().getStatus().getJobId()))
        .extracting(e -> e.type().name())
        .containsExactly("SUBMITTED", "QUEUED", "STARTED", "SUCCEEDED");
  }

  @Test
  void deletingTheResourceGoesThroughTheFinalizerAndIsRecordedInTheStore() {
    operator = startOperator();
    apply("op-test");
    await().atMost(WAIT).until(() -> batchJob("op-test-r1") != null && phase() != null);
    assertThat(resource().getMetadata().getFinalizers()).isNotEmpty();
    String id = resource().getStatus().getJobId();

    client.resources(JobResource.class).inNamespace(NAMESPACE).withName("op-test").delete();

    await().atMost(WAIT).until(() -> resource() == null);
    assertThat(store.job(id).status()).isEqualTo(JobStatus.STOPPED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems())
        .as("the mock server has no garbage collector: the finalizer deleted it")
        .isEmpty();
  }

  @Test
  void aPoisonResourceIsRejectedAndTheOthersRunOn() {
    operator = startOperator();
    JobResource poison = JobResourceTestData.aJob("poison");
    poison.getSpec().setType("Not An Identifier"); // the CRD pattern stops this on a real server
    client.resources(JobResource.class).inNamespace(NAMESPACE).resource(poison).create();
    apply("op-test");

    await().atMost(WAIT).until(() -> batchJob("op-test-r1") != null && phase() == JobPhase.QUEUED);
    await().atMost(WAIT).until(() -> phaseOf("poison") == JobPhase.REJECTED);
    assertThat(resourceNamed("poison").getStatus().getMessage()).contains("type");
    assertThat(batchJob("poison-r1")).isNull();
  }

  @Test
  void withLeaderElectionOnlyOneOfTwoOperatorsReconciles() {
    Store other = new Store(Clock.systemUTC());
    java.util.concurrent.atomic.AtomicInteger lostLeadership =
        new java.util.concurrent.atomic.AtomicInteger();
    // JOSDK asks whether it may use Leases before electing; the CRUD mock cannot answer that
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewStatus()
                .withIncomplete(false)
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update", "patch", "list", "watch")
                .endResourceRule()
                .endStatus()
                .build())
        .always();
    operator =
        JobplaneOperator.start(
            client,
            store.cluster,
            null,
            OperatorSettings.defaults(),
            Set.of(NAMESPACE),
            NAMESPACE,
            false,
            lostLeadership::incrementAndGet,
            null);
    JobplaneOperator second =
        JobplaneOperator.start(
            client,
            other.cluster,
            null,
            OperatorSettings.defaults(),
            Set.of(NAMESPACE),
            NAMESPACE,
            false,
            lostLeadership::incrementAndGet,
            null);
    try {
      await()
          .atMost(WAIT)
          .until(
              () ->
                  client.leases().inNamespace(NAMESPACE).withName(JobplaneOperator.LEASE_NAME).get()
                      != null);
      apply("op-test");
      await().atMost(WAIT).until(() -> phase() == JobPhase.QUEUED);

      String id = resource().getStatus().getJobId();
      boolean firstActed = store.jobs.findById(io.jobplane.domain.JobId.parse(id)).isPresent();
      boolean secondActed = other.jobs.findById(io.jobplane.domain.JobId.parse(id)).isPresent();
      assertThat(firstActed ^ secondActed).as("exactly one operator reconciled").isTrue();
      assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    } finally {
      second.close();
    }
    operator.close();
    operator = null;
    assertThat(lostLeadership).as("shutting down is not losing the election").hasValue(0);
  }

  private JobResource resourceNamed(String name) {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).withName(name).get();
  }

  private JobPhase phaseOf(String name) {
    JobResource r = resourceNamed(name);
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  private void apply(String name) {
    client
        .resources(JobResource.class)
        .inNamespace(NAMESPACE)
        .resource(JobResourceTestData.aJob(name))
        .create();
  }

  private void complete(Job batch) {
    batch.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withCompletionTime("2026-11-23T10:05:00Z")
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.batch().v1().jobs().resource(batch).updateStatus();
  }

  private Job batchJob(String name) {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withName(name).get();
  }

  private JobResource resource() {
    return client.resources(JobResource.class).inNamespace(NAMESPACE).withName("op-test").get();
  }

  private JobPhase phase() {
    JobResource r = resource();
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }
}
