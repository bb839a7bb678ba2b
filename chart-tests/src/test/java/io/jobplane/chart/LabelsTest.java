package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Recommended labels everywhere, and selectors that find exactly the pods they mean. */
class LabelsTest {

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void everyObjectCarriesTheRecommendedLabels(ValueSet values) {
    for (HasMetadata object : HelmChart.render(values).objects()) {
      assertThat(object.getMetadata().getLabels())
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .containsEntry("app.kubernetes.io/name", "jobplane")
          .containsEntry("app.kubernetes.io/instance", HelmChart.RELEASE)
          .containsEntry("app.kubernetes.io/version", "0.1.0")
          .containsEntry("app.kubernetes.io/part-of", "jobplane")
          .containsEntry("app.kubernetes.io/managed-by", "Helm")
          .containsEntry("helm.sh/chart", "jobplane-0.4.0");
    }
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void selectorsMatchTheirOwnComponentsPodsOnly(ValueSet values) {
    Manifests manifests = HelmChart.render(values);

    for (Deployment deployment : manifests.all(Deployment.class)) {
      Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
      assertThat(selector)
          .as("a Deployment selector is immutable: no version in it")
          .doesNotContainKeys("app.kubernetes.io/version", "helm.sh/chart");
      assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(selector);
    }
    for (Service service : manifests.all(Service.class)) {
      assertSelectsExactlyOneDeployment(manifests, service, service.getSpec().getSelector());
    }
    for (PodDisruptionBudget budget : manifests.all(PodDisruptionBudget.class)) {
      assertSelectsExactlyOneDeployment(
          manifests, budget, budget.getSpec().getSelector().getMatchLabels());
    }
    for (NetworkPolicy policy : manifests.all(NetworkPolicy.class)) {
      assertSelectsExactlyOneDeployment(
          manifests, policy, policy.getSpec().getPodSelector().getMatchLabels());
    }
  }

  private static void assertSelectsExactlyOneDeployment(
      Manifests manifests, HasMetadata selecting, Map<String, String> selector) {
    assertThat(manifests.all(Deployment.class))
        .as("%s %s selects", selecting.getKind(), selecting.getMetadata().getName())
        .filteredOn(
            d ->
                d.getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels()
                    .entrySet()
                    .containsAll(selector.entrySet()))
        .singleElement()
        .satisfies(
            d ->
                assertThat(selecting.getMetadata().getLabels().get("app.kubernetes.io/component"))
                    .isEqualTo(d.getMetadata().getLabels().get("app.kubernetes.io/component")));
  }
}
