package io.jobplane.application.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProjectNamespacesTest {

  private final ProjectNamespaces mapping =
      new ProjectNamespaces(Map.of("analytics", Set.of("etl-prod", "etl-dev"), "frozen", Set.of()));

  @Test
  void withoutAMappingEveryProjectMayUseEveryNamespaceAsBefore() {
    assertThat(ProjectNamespaces.NONE.configured()).isFalse();
    assertThat(ProjectNamespaces.NONE.allows("analytics", "anything")).isTrue();
    assertThat(ProjectNamespaces.NONE.refusal("analytics", "anything")).isEmpty();
  }

  @Test
  void aMappedProjectMayUseOnlyItsNamespaces() {
    assertThat(mapping.allows("analytics", "etl-prod")).isTrue();
    assertThat(mapping.allows("analytics", "etl-dev")).isTrue();
    assertThat(mapping.allows("analytics", "ml")).isFalse();
    assertThat(mapping.refusal("analytics", "ml"))
        .hasValue(
            "project analytics may not run jobs in namespace ml (allowed: etl-dev, etl-prod)");
  }

  @Test
  void onceAnyProjectIsMappedAProjectWithoutAnEntryMayUseNoNamespace() {
    assertThat(mapping.allows("default", "etl-prod")).isFalse();
    assertThat(mapping.allows("frozen", "etl-prod")).isFalse();
    assertThat(mapping.refusal("default", "etl-prod"))
        .hasValue(
            "project default may not run jobs in namespace etl-prod (it is allowed no namespace)");
  }

  @Test
  void aRefusedPlacementIsForbidden() {
    assertThatThrownBy(() -> mapping.requireAllowed("analytics", "kube-system"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN))
        .hasMessageContaining("namespace kube-system");
  }

  @Test
  void namesThatCanNeverMatchAreRefusedWhenConfigured() {
    assertThatThrownBy(() -> new ProjectNamespaces(Map.of("projA", Set.of("etl"))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("project");
    assertThatThrownBy(() -> new ProjectNamespaces(Map.of("analytics", Set.of("Etl_Prod"))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("'Etl_Prod' of project analytics is not a namespace");
  }
}
