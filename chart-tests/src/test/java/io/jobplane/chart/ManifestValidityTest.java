package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rendered manifests are objects the Kubernetes API knows, in the namespaces they belong. */
class ManifestValidityTest {

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void everyFieldIsOneTheKubernetesApiKnows(ValueSet values) {
    for (HasMetadata object : HelmChart.render(values).objects()) {
      assertThat(UnknownFields.in(object))
          .as("%s %s", object.getKind(), object.getMetadata().getName())
          .isEmpty();
    }
  }

  @Test
  void theUnknownFieldCheckCatchesAMisspeltField() {
    HasMetadata pod =
        Manifests.parse(
                """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: typo
                spec:
                  containers:
                    - name: main
                      image: busybox
                      readinesProbe:
                        httpGet: {path: /readyz, port: 8080}
                """)
            .objects()
            .get(0);

    assertThat(UnknownFields.in(pod)).singleElement().asString().contains("readinesProbe");
    assertThat(UnknownFields.in(new PodSpecBuilder().addNewContainer().endContainer().build()))
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void namespacedObjectsLiveInTheReleaseNamespaceOrAWatchedOne(ValueSet values) {
    Manifests manifests = HelmChart.render(values);
    Set<String> allowed = Set.of(HelmChart.NAMESPACE, HelmChart.JOBS_NAMESPACE, "team-a", "team-b");

    for (HasMetadata object : manifests.objects()) {
      String namespace = object.getMetadata().getNamespace();
      if (object instanceof Namespaced || object instanceof GenericKubernetesResource) {
        assertThat(namespace)
            .as("%s %s", object.getKind(), object.getMetadata().getName())
            .isIn(allowed);
        if (!List.of("Role", "RoleBinding").contains(object.getKind())) {
          assertThat(namespace).isEqualTo(HelmChart.NAMESPACE);
        }
      } else {
        assertThat(namespace).as("cluster-scoped %s", object.getKind()).isNull();
      }
    }
  }

  @Test
  void everyValueSetRendersTheObjectsItAsksFor() {
    Map<ValueSet, Set<String>> expectedKinds =
        Map.of(
            ValueSet.DEFAULTS, kinds("Secret"),
            ValueSet.NAMESPACED, kinds("Secret"),
            ValueSet.INGRESS, kinds("Secret", "Ingress"),
            ValueSet.EXTERNAL_DB,
                kinds("ServiceMonitor", "ConfigMap", "PrometheusRule", "NetworkPolicy"),
            ValueSet.THREE_REPLICAS, kinds("Secret", "PodDisruptionBudget"),
            ValueSet.CLUSTER_WIDE, kinds("Secret", "ClusterRole", "ClusterRoleBinding"),
            ValueSet.CLOUDNATIVEPG,
                kinds("Secret", "Cluster", "Job", "ClusterRole", "ClusterRoleBinding"));

    expectedKinds.forEach(
        (values, kinds) ->
            assertThat(HelmChart.render(values).objects())
                .as(values.name())
                .extracting(HasMetadata::getKind)
                .containsOnlyElementsOf(kinds)
                .containsAll(kinds));
  }

  /** The kinds every install has (Pod: the {@code helm test} hook), and {@code more}. */
  private static Set<String> kinds(String... more) {
    Set<String> kinds =
        new HashSet<>(
            Set.of("ServiceAccount", "Role", "RoleBinding", "Service", "Deployment", "Pod"));
    kinds.addAll(List.of(more));
    return kinds;
  }
}
