package io.jobplane.chart;

import static io.jobplane.chart.HelmChart.JOBS_NAMESPACE;
import static io.jobplane.chart.HelmChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Least privilege: each ServiceAccount gets what its command uses, where it uses it. */
class RbacTest {

  /**
   * One verb on one resource (on one object of it, or on all when resourceName is null): rules
   * compare without caring how they are grouped.
   */
  record Grant(String apiGroup, String resource, String verb, String resourceName) {
    Grant(String apiGroup, String resource, String verb) {
      this(apiGroup, resource, verb, null);
    }
  }

  private static final Set<Grant> OPERATOR_GRANTS =
      Set.copyOf(
          grants(
              rule("jobplane.io", "jobs", "get", "list", "watch", "patch", "update"),
              rule("jobplane.io", "jobs/status", "get", "patch", "update"),
              rule("jobplane.io", "jobs/finalizers", "update"),
              rule("jobplane.io", "jobschedules", "get", "list", "watch", "patch", "update"),
              rule("jobplane.io", "jobschedules/status", "get", "patch", "update"),
              rule("jobplane.io", "jobschedules/finalizers", "update"),
              rule("batch", "jobs", "get", "list", "watch", "create", "delete", "patch"),
              rule("", "pods", "get", "list", "watch"),
              rule("", "pods/log", "get"),
              rule("", "events", "create", "get", "patch"),
              rule("events.k8s.io", "events", "create", "patch"),
              rule("", "secrets", "create")));

  private static final Set<Grant> API_GRANTS =
      Set.copyOf(grants(rule("jobplane.io", "jobs", "get", "create", "patch", "delete")));

  private static final Set<Grant> LEADER_ELECTION_GRANTS =
      Set.copyOf(grants(rule("coordination.k8s.io", "leases", "get", "create", "update")));

  private static final Set<String> DANGEROUS_VERBS = Set.of("escalate", "bind", "impersonate");
  private static final Set<String> DANGEROUS_RESOURCES =
      Set.of(
          "pods/exec", "pods/attach", "pods/portforward", "nodes/proxy", "serviceaccounts/token");

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void noRuleGrantsWildcardsEscalationExecOrReadingSecrets(ValueSet values) {
    List<Grant> all = new ArrayList<>();
    Manifests manifests = HelmChart.render(values);
    manifests.all(ClusterRole.class).forEach(r -> all.addAll(grants(r.getRules())));
    manifests.all(Role.class).forEach(r -> all.addAll(grants(r.getRules())));

    assertThat(all).isNotEmpty();
    assertThat(all)
        .allSatisfy(
            g -> {
              assertThat(List.of(g.apiGroup(), g.resource(), g.verb())).doesNotContain("*");
              assertThat(g.verb()).isNotIn(DANGEROUS_VERBS);
              assertThat(g.resource()).isNotIn(DANGEROUS_RESOURCES);
              if (g.resource().equals("secrets")) {
                assertThat(g.verb()).isEqualTo("create");
              }
            });
  }

  @Test
  void byDefaultNothingIsClusterWideAndJobsRunInTheReleasesJobsNamespace() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.all(ClusterRole.class)).isEmpty();
    assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(grants(role(manifests, "jobplane-operator", JOBS_NAMESPACE).getRules()))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_GRANTS);
    assertThat(grants(role(manifests, "jobplane-api", JOBS_NAMESPACE).getRules()))
        .containsExactlyInAnyOrderElementsOf(API_GRANTS);
    assertBoundTo(
        roleBinding(manifests, "jobplane-operator", JOBS_NAMESPACE).getSubjects(),
        "jobplane-operator");
    assertThat(manifests.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsOnly(NAMESPACE, JOBS_NAMESPACE);
  }

  @Test
  void clusterWideGivesTheOperatorOneClusterRoleWithExactlyWhatItUses() {
    Manifests manifests = HelmChart.render(ValueSet.CLUSTER_WIDE);

    assertThat(grants(manifests.named(ClusterRole.class, "jobplane-operator").getRules()))
        .containsExactlyInAnyOrderElementsOf(OPERATOR_GRANTS);
    assertThat(grants(manifests.named(ClusterRole.class, "jobplane-api").getRules()))
        .containsExactlyInAnyOrderElementsOf(API_GRANTS);
    assertBoundTo(
        manifests.named(ClusterRoleBinding.class, "jobplane-operator").getSubjects(),
        "jobplane-operator");
    assertBoundTo(
        manifests.named(ClusterRoleBinding.class, "jobplane-api").getSubjects(), "jobplane-api");
    assertThat(manifests.all(Role.class))
        .extracting(r -> r.getMetadata().getNamespace())
        .containsOnly(NAMESPACE);
  }

  @Test
  void clusterWideAndAListOfNamespacesAreRefusedTogether() {
    assertThatThrownBy(
            () -> HelmChart.render(ValueSet.CLUSTER_WIDE, Map.of("watchNamespaces[0]", "team-a")))
        .hasMessageContaining("clusterWide=true watches every namespace");
  }

  @Test
  void watchNamespacesGivesRolesInEachWatchedNamespaceAndNothingClusterWide() {
    Manifests manifests = HelmChart.render(ValueSet.NAMESPACED);

    assertThat(manifests.all(ClusterRole.class)).isEmpty();
    assertThat(manifests.all(ClusterRoleBinding.class)).isEmpty();
    for (String namespace : List.of("team-a", "team-b")) {
      assertThat(grants(role(manifests, "jobplane-operator", namespace).getRules()))
          .containsExactlyInAnyOrderElementsOf(OPERATOR_GRANTS);
      assertThat(grants(role(manifests, "jobplane-api", namespace).getRules()))
          .containsExactlyInAnyOrderElementsOf(API_GRANTS);
      RoleBinding binding = roleBinding(manifests, "jobplane-operator", namespace);
      assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
      assertBoundTo(binding.getSubjects(), "jobplane-operator");
    }
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void leaderElectionLeasesAreGrantedInTheReleaseNamespaceOnly(ValueSet values) {
    Manifests manifests = HelmChart.render(values);

    List<HasMetadata> grantingLeases =
        Stream.concat(
                manifests.all(Role.class).stream()
                    .filter(r -> grants(r.getRules()).stream().anyMatch(RbacTest::isLease)),
                manifests.all(ClusterRole.class).stream()
                    .filter(r -> grants(r.getRules()).stream().anyMatch(RbacTest::isLease)))
            .map(HasMetadata.class::cast)
            .toList();

    assertThat(grantingLeases).singleElement().isInstanceOf(Role.class);
    Role role = (Role) grantingLeases.get(0);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(grants(role.getRules())).containsExactlyInAnyOrderElementsOf(LEADER_ELECTION_GRANTS);
    RoleBinding binding = roleBinding(manifests, "jobplane-operator-leader-election", NAMESPACE);
    assertBoundTo(binding.getSubjects(), "jobplane-operator");
  }

  @Test
  void withoutTheKubernetesRuntimeTheApiServerGetsNoPermissionAndNoToken() {
    Manifests manifests =
        HelmChart.render(ValueSet.CLUSTER_WIDE, Map.of("api.kubernetesRuntime", false));

    assertThat(manifests.all(ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("jobplane-operator");
    assertThat(HelmChart.render(ValueSet.DEFAULTS, Map.of("api.kubernetesRuntime", false)))
        .satisfies(
            namespaced ->
                assertThat(namespaced.all(Role.class))
                    .extracting(r -> r.getMetadata().getName())
                    .doesNotContain("jobplane-api"));
    assertThat(
            manifests
                .deployment("api")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();
    assertThat(Args.of(manifests.deployment("api"))).doesNotContain("--kubernetes-runtime");
  }

  @Test
  void theReleaseNamespaceCannotBeWatched() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    ValueSet.DEFAULTS,
                    Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", NAMESPACE)))
        .hasMessageContaining("watchNamespaces must not contain the release namespace")
        .hasMessageContaining("database password");
  }

  private static boolean isLease(Grant grant) {
    return grant.resource().equals("leases");
  }

  private static Role role(Manifests manifests, String name, String namespace) {
    return inNamespace(manifests.all(Role.class), name, namespace);
  }

  private static RoleBinding roleBinding(Manifests manifests, String name, String namespace) {
    return inNamespace(manifests.all(RoleBinding.class), name, namespace);
  }

  private static <T extends HasMetadata> T inNamespace(
      List<T> objects, String name, String namespace) {
    return objects.stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .filter(o -> o.getMetadata().getNamespace().equals(namespace))
        .findFirst()
        .orElseThrow();
  }

  private static void assertBoundTo(List<Subject> subjects, String serviceAccount) {
    assertThat(subjects)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccount);
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
  }

  private static PolicyRule rule(String apiGroup, String resource, String... verbs) {
    PolicyRule rule = new PolicyRule();
    rule.setApiGroups(List.of(apiGroup));
    rule.setResources(List.of(resource));
    rule.setVerbs(List.of(verbs));
    return rule;
  }

  private static List<Grant> grants(PolicyRule... rules) {
    return grants(List.of(rules));
  }

  static List<Grant> grants(List<PolicyRule> rules) {
    List<Grant> grants = new ArrayList<>();
    for (PolicyRule rule : rules) {
      assertThat(rule.getNonResourceURLs()).as("nonResourceURLs").isNullOrEmpty();
      List<String> names =
          rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
              ? Collections.singletonList(null)
              : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String name : names) {
              grants.add(new Grant(group, resource, verb, name));
            }
          }
        }
      }
    }
    return grants;
  }
}
