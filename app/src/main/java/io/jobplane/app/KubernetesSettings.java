package io.jobplane.app;

import io.jobplane.adapters.k8s.operator.OperatorSettings;
import java.util.Set;

/**
 * How a process takes part in Kubernetes: {@code runtime} turns REST submits of {@code runtime:
 * kubernetes} into Job resources, {@code operator} runs the operator (watching {@code namespaces},
 * all when empty; with leader election when {@code leaseNamespace} is set).
 */
public record KubernetesSettings(
    boolean runtime,
    boolean operator,
    Set<String> namespaces,
    String leaseNamespace,
    OperatorSettings operatorSettings,
    boolean serverSideApply) {

  public KubernetesSettings {
    namespaces = Set.copyOf(namespaces);
  }

  /** Neither: the process never talks to a cluster. */
  public static final KubernetesSettings OFF =
      new KubernetesSettings(false, false, Set.of(), null, OperatorSettings.defaults(), true);

  public boolean any() {
    return runtime || operator;
  }
}
