package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import java.util.List;

/**
 * Checks a {@code Job} resource's pod template against the {@link PodPolicy} before anything is
 * created: {@link #harden} fills secure defaults the user left unset, {@link #violations} lists
 * what is still not allowed. The rules are the Kubernetes Pod Security Standards (baseline, and
 * restricted on top of it) as the pod-security admission controller applies them, plus the
 * platform's own rules (namespaces, service account, protected Secrets). Pure: no client.
 */
public final class PodPolicyCheck {

  private PodPolicyCheck() {}

  /**
   * A deep copy of {@code template} with the policy's defaults filled where the user left them
   * unset ({@link PodHardening}); whatever the user set explicitly is kept, so {@link #violations}
   * still reports it.
   */
  public static PodTemplateSpec harden(PodTemplateSpec template, PodPolicy policy) {
    return PodHardening.harden(template, policy);
  }

  /**
   * What in {@code hardened} (normally the result of {@link #harden}) the policy does not allow,
   * each as {@code "<field path>: <why>"} with paths relative to the pod template (e.g. {@code
   * spec.containers[0].securityContext.privileged}); empty when the template of a {@code project}
   * job may run in {@code namespace}.
   */
  public static List<String> violations(
      String namespace, String project, PodTemplateSpec hardened, PodPolicy policy) {
    PolicyReport report = new PolicyReport(policy.level());
    PodSpec spec = hardened.getSpec() == null ? new PodSpec() : hardened.getSpec();
    List<PolicyTarget> containers = PodSpecParts.targets(spec);
    PlatformRules.check(namespace, project, spec, containers, policy, report);
    if (policy.level() != Level.NONE) {
      BaselineStandard.check(hardened, spec, containers, report);
    }
    if (policy.level() == Level.RESTRICTED) {
      RestrictedStandard.check(spec, containers, report);
    }
    return List.copyOf(report.messages);
  }

  /**
   * The platform's rules alone (namespaces, the project's namespaces, service account, Secrets):
   * who may use what, whatever the Pod Security level. The API server applies them before a REST
   * submit reaches the cluster, so a refusal there is a 403 and nothing is stored.
   */
  public static List<String> platformViolations(
      String namespace, String project, PodTemplateSpec template, PodPolicy policy) {
    PolicyReport report = new PolicyReport(policy.level());
    PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
    PlatformRules.check(namespace, project, spec, PodSpecParts.targets(spec), policy, report);
    return List.copyOf(report.messages);
  }
}
