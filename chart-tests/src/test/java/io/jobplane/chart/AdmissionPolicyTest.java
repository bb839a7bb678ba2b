package io.jobplane.chart;

import static io.jobplane.chart.HelmChart.JOBS_NAMESPACE;
import static io.jobplane.chart.HelmChart.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The second layer under RBAC: a ValidatingAdmissionPolicy that refuses batch Jobs (and Secrets)
 * from the operator's ServiceAccount outside the namespaces where jobs may run. Rendered as for a
 * 1.30 cluster, the first with admissionregistration.k8s.io/v1.
 */
class AdmissionPolicyTest {

  private static final String KUBE_1_30 = "1.30.0";

  private static final String POLICY = "jobplane-operator-namespaces";
  private static final String OPERATOR_USER =
      "system:serviceaccount:" + NAMESPACE + ":jobplane-operator";

  @Test
  void byDefaultTheOperatorsBatchJobsAreRefusedOutsideTheWatchedNamespace() {
    Manifests manifests = render(ValueSet.DEFAULTS, Map.of());
    ValidatingAdmissionPolicy policy = manifests.named(ValidatingAdmissionPolicy.class, POLICY);

    assertThat(UnknownFields.in(policy)).isEmpty();
    assertThat(UnknownFields.in(manifests.named(ValidatingAdmissionPolicyBinding.class, POLICY)))
        .isEmpty();
    assertThat(policy.getSpec().getFailurePolicy()).isEqualTo("Fail");
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
        .anySatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("batch");
              assertThat(rule.getApiVersions()).containsExactly("v1");
              assertThat(rule.getResources()).containsExactly("jobs");
              assertThat(rule.getOperations()).contains("CREATE");
            });
    assertThat(policy.getSpec().getMatchConditions())
        .extracting(MatchCondition::getExpression)
        .containsExactly("request.userInfo.username == '" + OPERATOR_USER + "'");
    assertThat(policy.getSpec().getValidations())
        .extracting(Validation::getExpression)
        .containsExactly("request.namespace in ['" + JOBS_NAMESPACE + "']");
    ValidatingAdmissionPolicyBinding binding =
        manifests.named(ValidatingAdmissionPolicyBinding.class, POLICY);
    assertThat(binding.getSpec().getPolicyName()).isEqualTo(POLICY);
    assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
  }

  @Test
  void theListedNamespacesAreTheOnlyOnesAllowed() {
    assertThat(expression(render(ValueSet.NAMESPACED, Map.of())))
        .isEqualTo("request.namespace in ['team-a', 'team-b']");
  }

  @Test
  void clusterWideTheProjectsNamespacesAreTheOnlyOnesAllowed() {
    assertThat(expression(render(ValueSet.CLUSTER_WIDE, Map.of())))
        .isEqualTo("request.namespace in ['etl-dev', 'etl-prod', 'ml']");
  }

  @Test
  void clusterWideWithoutProjectsEveryDeniedNamespaceIsRefused() {
    Manifests manifests = render(ValueSet.DEFAULTS, Map.of("clusterWide", true));

    assertThat(expression(manifests))
        .isEqualTo(
            "!(request.namespace in ['"
                + NAMESPACE
                + "', 'kube-system', 'kube-public', 'kube-node-lease'])");
  }

  @Test
  void itCanBeLeftOut() {
    Manifests manifests = render(ValueSet.DEFAULTS, Map.of("admissionPolicy.enabled", false));

    assertThat(manifests.all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThat(manifests.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
  }

  @Test
  void clustersOlderThan130GetNoPolicyAndAValidInstall() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.all(ValidatingAdmissionPolicy.class)).isEmpty();
    assertThat(manifests.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
  }

  private static Manifests render(ValueSet values, Map<String, Object> overrides) {
    return HelmChart.render(values, NAMESPACE, overrides, KUBE_1_30);
  }

  private static String expression(Manifests manifests) {
    ValidatingAdmissionPolicy policy = manifests.named(ValidatingAdmissionPolicy.class, POLICY);
    assertThat(policy.getSpec().getMatchConstraints().getResourceRules())
        .extracting(NamedRuleWithOperations::getResources)
        .contains(List.of("jobs"));
    return policy.getSpec().getValidations().get(0).getExpression();
  }
}
