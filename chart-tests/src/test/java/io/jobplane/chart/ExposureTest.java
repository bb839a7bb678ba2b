package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the API is reached from outside and scraped by Prometheus, each only when asked for. */
class ExposureTest {

  @Test
  void byDefaultOnlyClusterIpServicesExist() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.all(Ingress.class)).isEmpty();
    assertThat(manifests.all(NetworkPolicy.class)).isEmpty();
    assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
    assertThat(manifests.all(Service.class))
        .extracting(s -> s.getSpec().getType())
        .containsOnly("ClusterIP");
  }

  @Test
  void theIngressRoutesItsTlsHostToTheApiServicesPort() {
    Manifests manifests = HelmChart.render(ValueSet.INGRESS);
    Ingress ingress = manifests.named(Ingress.class, "jobplane-api");

    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getHosts()).containsExactly("jobplane.example.com");
              assertThat(tls.getSecretName()).isEqualTo("jobplane-example-com-tls");
            });
    IngressServiceBackend backend =
        ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
    Service api = manifests.named(Service.class, backend.getName());
    assertThat(api.getSpec().getPorts())
        .anySatisfy(p -> assertThat(p.getName()).isEqualTo(backend.getPort().getName()));
  }

  @Test
  void networkPoliciesAdmitOnlyTheNamedPeersToEachComponentsPort() {
    Manifests manifests = HelmChart.render(ValueSet.EXTERNAL_DB);

    NetworkPolicyIngressRule api = onlyRule(manifests.named(NetworkPolicy.class, "jobplane-api"));
    assertThat(api.getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString("http")));
    assertThat(api.getFrom()).hasSize(3);
    assertThat(api.getFrom().subList(0, 2))
        .extracting(
            p -> p.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
        .containsExactly("ingress-nginx", "monitoring");
    assertThat(api.getFrom().get(2).getNamespaceSelector())
        .as("the `helm test` Pod, in the release namespace")
        .isNull();
    Map<String, String> testPod = api.getFrom().get(2).getPodSelector().getMatchLabels();
    assertThat(testPod).containsEntry("app.kubernetes.io/component", "test");
    assertThat(manifests.named(Pod.class, "jobplane-test").getMetadata().getLabels())
        .containsAllEntriesOf(testPod);
    NetworkPolicyIngressRule operator =
        onlyRule(manifests.named(NetworkPolicy.class, "jobplane-operator"));
    assertThat(operator.getFrom())
        .extracting(
            p -> p.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
        .containsExactly("monitoring");
  }

  @Test
  void theServiceMonitorScrapesBothComponentsWithTheConfiguredToken() {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            HelmChart.render(ValueSet.EXTERNAL_DB).ofKind("ServiceMonitor").get(0);

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    Map<String, Object> endpoint = endpoint(monitor);
    assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/metrics");
    assertThat(endpoint.get("bearerTokenSecret"))
        .isEqualTo(Map.of("name", "jobplane-prometheus-token", "key", "token"));
    assertThat(selector(monitor)).doesNotContainKey("app.kubernetes.io/component");
  }

  @Test
  void withGeneratedTokensTheServiceMonitorUsesTheMetricsOnlyToken() {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            HelmChart.render(ValueSet.DEFAULTS, Map.of("serviceMonitor.enabled", true))
                .ofKind("ServiceMonitor")
                .get(0);

    assertThat(endpoint(monitor).get("bearerTokenSecret"))
        .isEqualTo(Map.of("name", "jobplane-tokens", "key", "metrics-token"));
  }

  private static NetworkPolicyIngressRule onlyRule(NetworkPolicy policy) {
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getIngress()).hasSize(1);
    return policy.getSpec().getIngress().get(0);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> endpoint(GenericKubernetesResource monitor) {
    List<Map<String, Object>> endpoints = monitor.get("spec", "endpoints");
    assertThat(endpoints).hasSize(1);
    return endpoints.get(0);
  }

  private static Map<String, String> selector(GenericKubernetesResource monitor) {
    return monitor.get("spec", "selector", "matchLabels");
  }
}
