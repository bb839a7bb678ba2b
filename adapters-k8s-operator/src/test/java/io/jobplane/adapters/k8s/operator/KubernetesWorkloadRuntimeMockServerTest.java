package io.jobplane.adapters.k8s.operator;

import static io.jobplane.application.testing.JobTestData.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jobplane.adapters.k8s.crd.GeneratedCrd;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.application.security.AllowedSecrets;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.KubernetesPlacement;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** REST submits meet the platform's rules before anything reaches the cluster. */
@EnableKubernetesMockClient(crud = true)
class KubernetesWorkloadRuntimeMockServerTest {

  private static final String NAMESPACE = "etl-prod";

  KubernetesClient client;

  @BeforeEach
  void registerCrd() {
    client.apiextensions().v1().customResourceDefinitions().resource(GeneratedCrd.load()).create();
  }

  @Test
  void aTemplateReferencingASecretOffTheAllowListIsForbiddenAndCreatesNoResource() {
    KubernetesWorkloadRuntime runtime = runtime();

    assertThatThrownBy(() -> runtime.launch(job("train", secretVolume("billing-db"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN))
        .hasMessageContaining(
            "spec.volumes[0].secret.secretName: Secret billing-db is not on the allow-list of"
                + " namespace etl-prod");
    assertThat(client.resources(JobResource.class).inNamespace(NAMESPACE).list().getItems())
        .isEmpty();

    runtime.launch(job("load", secretVolume("db-creds")));
    assertThat(client.resources(JobResource.class).inNamespace(NAMESPACE).withName("load").get())
        .isNotNull();
  }

  private KubernetesWorkloadRuntime runtime() {
    return new KubernetesWorkloadRuntime(
        client,
        PodPolicy.defaults()
            .withAllowedSecrets(new AllowedSecrets(Map.of(NAMESPACE, Set.of("db-creds")))));
  }

  private static String secretVolume(String secret) {
    return "{\"spec\":{\"volumes\":[{\"name\":\"creds\",\"secret\":{\"secretName\":\""
        + secret
        + "\"}}],\"containers\":[{\"name\":\"main\",\"image\":\"busybox:1.36\"}]}}";
  }

  private static JobSnapshot job(String name, String podTemplate) {
    return aJob()
        .withName(name)
        .inProject("analytics")
        .placedOn(new KubernetesPlacement(NAMESPACE, name, podTemplate))
        .build();
  }
}
