package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code helm install} does, against fabric8's mock API server in CRUD mode: the CRD from
 * {@code crds/} first, then every rendered object; each one is read back as it was sent.
 */
@EnableKubernetesMockClient(crud = true)
class MockApiServerTest {

  KubernetesClient client;

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void everyRenderedObjectIsAcceptedAndReadsBackUnchanged(ValueSet values) throws IOException {
    assertInstallsAndReadsBack(HelmChart.render(values));
  }

  /** A 1.30 cluster also gets the ValidatingAdmissionPolicy and its binding. */
  @Test
  void onA130ClusterTheAdmissionPolicyIsAcceptedToo() throws IOException {
    Manifests manifests =
        HelmChart.render(ValueSet.CLUSTER_WIDE, HelmChart.NAMESPACE, Map.of(), "1.30.0");
    assertThat(manifests.ofKind("ValidatingAdmissionPolicy")).hasSize(1);

    assertInstallsAndReadsBack(manifests);
  }

  private void assertInstallsAndReadsBack(Manifests manifests) throws IOException {
    installCrd();
    installOtherOperatorsCrdsIfUsed(manifests);
    createNamespaces(manifests);

    for (HasMetadata object : manifests.objects()) {
      client.resource(object).create();
    }

    for (HasMetadata object : manifests.objects()) {
      HasMetadata stored = client.resource(object).get();
      assertThat(stored).as("%s %s", object.getKind(), object.getMetadata().getName()).isNotNull();
      assertThat(stored.getMetadata().getUid()).isNotBlank();
      assertThat(withoutMetadata(stored)).isEqualTo(withoutMetadata(object));
    }
  }

  @Test
  void theFirstJobOfTheNotesIsAcceptedOnceTheChartsCrdIsInstalled() throws IOException {
    String notes = HelmChart.notes(ValueSet.NAMESPACED);
    String namespace = Notes.applyNamespace(notes);
    installCrd();
    createNamespace(namespace);

    client
        .genericKubernetesResources(jobsContext())
        .inNamespace(namespace)
        .resource(Notes.firstJob(notes))
        .create();

    GenericKubernetesResource stored =
        client
            .genericKubernetesResources(jobsContext())
            .inNamespace(namespace)
            .withName("hello")
            .get();
    assertThat(stored.<String>get("spec", "type")).isEqualTo("shell");
    assertThat(stored.<Object>get("spec", "podTemplate")).isNotNull();
  }

  /** Every CRD of the chart's crds/, as helm installs them first. */
  private void installCrd() throws IOException {
    for (String file : List.of("jobs.jobplane.io-v1.yml", "jobschedules.jobplane.io-v1.yml")) {
      try (InputStream crd = Files.newInputStream(HelmChart.DIRECTORY.resolve("crds/" + file))) {
        client.apiextensions().v1().customResourceDefinitions().load(crd).create();
      }
    }
  }

  /**
   * ServiceMonitor, PrometheusRule and Cluster are not built-in kinds: the cluster has them from
   * the Prometheus Operator and from CloudNativePG.
   */
  private void installOtherOperatorsCrdsIfUsed(Manifests manifests) {
    Map<String, String> groups =
        Map.of(
            "ServiceMonitor", "monitoring.coreos.com",
            "PrometheusRule", "monitoring.coreos.com",
            "Cluster", "postgresql.cnpg.io");
    for (Map.Entry<String, String> kindInGroup : groups.entrySet()) {
      String kind = kindInGroup.getKey();
      String group = kindInGroup.getValue();
      if (manifests.ofKind(kind).isEmpty()) {
        continue;
      }
      String singular = kind.toLowerCase(Locale.ROOT);
      CustomResourceDefinition crd =
          new CustomResourceDefinitionBuilder()
              .withNewMetadata()
              .withName(singular + "s." + group)
              .endMetadata()
              .withNewSpec()
              .withGroup(group)
              .withScope("Namespaced")
              .withNewNames()
              .withKind(kind)
              .withPlural(singular + "s")
              .withSingular(singular)
              .endNames()
              .addNewVersion()
              .withName("v1")
              .withServed(true)
              .withStorage(true)
              .endVersion()
              .endSpec()
              .build();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private void createNamespaces(Manifests manifests) {
    Set<String> namespaces = new TreeSet<>();
    manifests.objects().stream()
        .map(o -> o.getMetadata().getNamespace())
        .filter(Objects::nonNull)
        .forEach(namespaces::add);
    namespaces.forEach(this::createNamespace);
  }

  private void createNamespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private static ResourceDefinitionContext jobsContext() {
    return new ResourceDefinitionContext.Builder()
        .withGroup("jobplane.io")
        .withVersion("v1")
        .withKind("Job")
        .withPlural("jobs")
        .withNamespaced(true)
        .build();
  }

  /** Everything but the metadata the server fills in (uid, resourceVersion, timestamps). */
  private static Map<String, Object> withoutMetadata(HasMetadata object) {
    Map<String, Object> fields =
        new LinkedHashMap<>(Manifests.SERIALIZATION.convertValue(object, Map.class));
    fields.remove("metadata");
    return fields;
  }
}
