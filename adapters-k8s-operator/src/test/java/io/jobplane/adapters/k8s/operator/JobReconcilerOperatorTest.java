package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A JOSDK {@link Operator} running {@link JobReconciler} against the mock API server: the batch Job
 * informer brings the batch Job's status back to the resource without polling.
 */
@EnableKubernetesMockClient(crud = true)
class JobReconcilerOperatorTest {

  private static final String NAMESPACE = "team-a";

  KubernetesClient client;

  private Operator operator;

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void batchJobStatusFlowsBackThroughTheInformer() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    // the mock server does not implement server-side apply, JOSDK's default for status patches
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(
        new JobReconciler(
            new Store(java.time.Clock.systemUTC()).cluster, OperatorSettings.defaults()));
    operator.start();

    client.resources(JobResource.class).inNamespace(NAMESPACE).resource(resource()).create();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> batchJob() != null && phase() == JobPhase.QUEUED);

    Job batch = batchJob();
    batch.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withCompletionTime("2026-11-23T10:05:00Z")
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.batch().v1().jobs().resource(batch).updateStatus();

    await().atMost(Duration.ofSeconds(20)).until(() -> phase() == JobPhase.SUCCEEDED);
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
  }

  private Job batchJob() {
    return client.batch().v1().jobs().inNamespace(NAMESPACE).withName("op-test-r1").get();
  }

  private JobPhase phase() {
    JobResource r =
        client.resources(JobResource.class).inNamespace(NAMESPACE).withName("op-test").get();
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  private static JobResource resource() {
    JobSpec spec = new JobSpec();
    spec.setType("report");
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withContainers(new ContainerBuilder().withName("main").withImage("busybox").build())
            .endSpec()
            .build());
    JobResource resource = new JobResource();
    resource.setMetadata(
        new ObjectMetaBuilder().withName("op-test").withNamespace(NAMESPACE).build());
    resource.setSpec(spec);
    return resource;
  }
}
