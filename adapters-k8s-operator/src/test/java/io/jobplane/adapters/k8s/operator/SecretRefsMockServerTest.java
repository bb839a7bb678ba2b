package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.SecretRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A REST job's secret references on the mock API server: handed to the cluster as {@code
 * valueFrom.secretKeyRef}, so the pod reads the value from the namespace's Secret and neither the
 * resource nor the batch Job carries it.
 */
@EnableKubernetesMockClient(crud = true)
class SecretRefsMockServerTest {

  private static final String NAMESPACE = "ml";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  KubernetesClient client;
  private final Store store = new Store(CLOCK);

  @BeforeEach
  void registerCrd() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
  }

  private static JobSnapshot jobReferencing(Map<String, SecretRef> refs) {
    String template =
        "{\"spec\":{\"initContainers\":[{\"name\":\"fetch\",\"image\":\"busybox\"}],"
            + "\"containers\":[{\"name\":\"main\",\"image\":\"train:1\","
            + "\"env\":[{\"name\":\"MODE\",\"value\":\"fast\"},"
            + "{\"name\":\"HF_TOKEN\",\"value\":\"from-the-template\"}]}]}}";
    JobDefinition d =
        JobDefinition.builder()
            .name("train")
            .type("training")
            .project("ml")
            .maxAttempts(1)
            .runtime(JobRuntime.KUBERNETES)
            .kubernetes(new KubernetesPlacement(NAMESPACE, null, template, refs))
            .build();
    return io.jobplane.domain.Job.submit(JobId.random(), d, "ci", CLOCK.instant(), "test")
        .snapshot();
  }

  private static EnvVar variable(Container c, String name) {
    return c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
  }

  private static void assertReference(Container c) {
    EnvVar token = variable(c, "HF_TOKEN");
    assertThat(token.getValue()).as(c.getName()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
  }

  @Test
  void theBatchJobsPodsReferenceTheSecretKeyInsteadOfCarryingAValue() {
    JobSnapshot job = jobReferencing(Map.of("HF_TOKEN", new SecretRef("hf", "token")));
    new KubernetesWorkloadRuntime(client, PodPolicy.defaults()).launch(job);
    String name = job.definition().kubernetes().resourceName();
    JobResource resource =
        client.resources(JobResource.class).inNamespace(NAMESPACE).withName(name).get();

    new JobReconciler(store.cluster, OperatorSettings.defaults().withClock(CLOCK))
        .reconcile(resource, new TestContext<>(client, resource));

    List<Job> batch = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
    assertThat(batch).hasSize(1);
    var pod = batch.get(0).getSpec().getTemplate().getSpec();
    pod.getContainers().forEach(SecretRefsMockServerTest::assertReference);
    pod.getInitContainers().forEach(SecretRefsMockServerTest::assertReference);
    assertThat(variable(pod.getContainers().get(0), "MODE").getValue()).isEqualTo("fast");
    assertThat(Serialization.asJson(batch.get(0)) + Serialization.asJson(resource))
        .contains("secretKeyRef")
        .doesNotContain("from-the-template");
  }

  @Test
  void aJobWithoutReferencesKeepsItsTemplateAsItIs() {
    JobSnapshot job = jobReferencing(Map.of());
    assertThat(
            Serialization.asJson(
                KubernetesWorkloadRuntime.resourceOf(job).getSpec().getPodTemplate()))
        .contains("from-the-template")
        .doesNotContain("secretKeyRef");
  }
}
