package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.domain.telemetry.LogFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The operator against a real cluster (k3s in a container): real batch Jobs run real pods, with
 * garbage collection, schema and CEL validation the mock server does not have. Needs a Docker
 * engine; skipped cleanly without one.
 */
@Testcontainers(disabledWithoutDocker = true)
class JobReconcilerK3sTest {

  private static final String NS = "jobs";
  private static final Duration WAIT = Duration.ofMinutes(3);

  @Container
  static final K3sContainer K3S =
      new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

  private static KubernetesClient client;
  private static JobplaneOperator operator;
  private static final Store STORE = new Store(Clock.systemUTC());

  @BeforeAll
  static void startOperator() {
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml()))
            .build();
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    operator =
        JobplaneOperator.start(
            client, STORE.cluster, OperatorSettings.defaults(), Set.of(NS), NS, true);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void aJobThatExitsZeroSucceedsAndItsLogIsKept() {
    apply("hello", "echo hello from k3s");

    await().atMost(WAIT).until(() -> phase("hello") == JobPhase.SUCCEEDED);

    String id = resource("hello").getStatus().getJobId();
    assertThat(STORE.job(id).status()).isEqualTo(io.jobplane.domain.JobStatus.SUCCEEDED);
    assertThat(
            STORE.telemetry.logs(
                io.jobplane.domain.JobId.parse(id),
                new LogFilter(null, null, null, null, null, 100, 0)))
        .extracting(l -> l.value().message())
        .contains("hello from k3s");
  }

  @Test
  void aJobThatExitsNonZeroFailsAsAnApplicationFailure() {
    apply("broken", "exit 3");

    await().atMost(WAIT).until(() -> phase("broken") == JobPhase.FAILED);

    String id = resource("broken").getStatus().getJobId();
    assertThat(STORE.job(id).error().reason()).isEqualTo("APPLICATION_FAILURE");
    assertThat(STORE.job(id).error().message()).contains("3");
  }

  @Test
  void theApiServerRejectsASpecTheSchemaForbids() {
    JobResource bad = resourceSpec("bad", "true");
    bad.getSpec().setMaxAttempts(0);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.resources(JobResource.class).inNamespace(NS).resource(bad).create())
        .hasMessageContaining("maxAttempts");
  }

  private void apply(String name, String script) {
    client
        .resources(JobResource.class)
        .inNamespace(NS)
        .resource(resourceSpec(name, script))
        .create();
  }

  private static JobResource resourceSpec(String name, String script) {
    JobSpec spec = new JobSpec();
    spec.setType("smoke");
    spec.setMaxAttempts(1);
    spec.setDesiredState(DesiredState.RUNNING);
    spec.setPodTemplate(
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withNewSecurityContext()
            .withRunAsUser(1000L)
            .endSecurityContext()
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage("busybox:1.36")
                    .withCommand(List.of("sh", "-c", script))
                    .build())
            .endSpec()
            .build());
    JobResource resource = new JobResource();
    resource.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    resource.setSpec(spec);
    return resource;
  }

  private JobResource resource(String name) {
    return client.resources(JobResource.class).inNamespace(NS).withName(name).get();
  }

  private JobPhase phase(String name) {
    JobResource r = resource(name);
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }
}
