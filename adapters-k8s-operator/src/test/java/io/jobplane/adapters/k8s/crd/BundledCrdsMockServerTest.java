package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.jobplane.adapters.k8s.crd.BundledCrds.Applied;
import io.jobplane.adapters.k8s.crd.BundledCrds.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Applying the jar's CRDs to fabric8's mock API server in CRUD mode, as an upgrade would. */
@EnableKubernetesMockClient(crud = true)
class BundledCrdsMockServerTest {

  KubernetesClient client;

  @Test
  void theBundledCrdsAreTheOnesTheBuildGenerated() {
    assertThat(BundledCrds.load())
        .containsExactly(GeneratedCrd.load(), GeneratedCrd.loadSchedules());
  }

  @Test
  void aClusterWithoutTheCrdsGetsBoth() {
    List<Applied> applied = BundledCrds.apply(client);

    assertThat(applied)
        .containsExactly(
            new Applied("jobs.jobplane.io", Outcome.CREATED),
            new Applied("jobschedules.jobplane.io", Outcome.CREATED));
    assertThat(stored("jobs.jobplane.io").getSpec()).isEqualTo(GeneratedCrd.load().getSpec());
    assertThat(stored("jobschedules.jobplane.io").getSpec())
        .isEqualTo(GeneratedCrd.loadSchedules().getSpec());
  }

  @Test
  void anOlderCrdIsUpdatedKeepingItsMetadataAndACurrentOneIsLeftAlone() {
    CustomResourceDefinition older = GeneratedCrd.load();
    older.getSpec().getNames().setShortNames(List.of("oldpj"));
    older.getSpec().getVersions().get(0).setAdditionalPrinterColumns(List.of());
    older.getMetadata().setLabels(Map.of("owner", "platform"));
    client.apiextensions().v1().customResourceDefinitions().resource(older).create();
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(GeneratedCrd.loadSchedules())
        .create();

    List<Applied> applied = BundledCrds.apply(client);

    assertThat(applied)
        .containsExactly(
            new Applied("jobs.jobplane.io", Outcome.UPDATED),
            new Applied("jobschedules.jobplane.io", Outcome.UNCHANGED));
    CustomResourceDefinition updated = stored("jobs.jobplane.io");
    assertThat(updated.getSpec()).isEqualTo(GeneratedCrd.load().getSpec());
    assertThat(updated.getMetadata().getLabels()).containsEntry("owner", "platform");

    assertThat(BundledCrds.apply(client))
        .as("a second run finds nothing to do")
        .extracting(Applied::outcome)
        .containsOnly(Outcome.UNCHANGED);
  }

  private CustomResourceDefinition stored(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }
}
