package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;

/** The parts of a pod spec that the policy checks walk: its containers of every kind. */
final class PodSpecParts {

  private PodSpecParts() {}

  static List<PolicyTarget> targets(PodSpec spec) {
    List<PolicyTarget> targets = new ArrayList<>();
    addTargets(targets, "spec.initContainers", list(spec.getInitContainers()));
    addTargets(targets, "spec.containers", list(spec.getContainers()));
    List<EphemeralContainer> ephemeral = list(spec.getEphemeralContainers());
    for (int i = 0; i < ephemeral.size(); i++) {
      EphemeralContainer c = ephemeral.get(i);
      targets.add(
          new PolicyTarget(
              "spec.ephemeralContainers[" + i + "]",
              c.getSecurityContext(),
              c.getPorts(),
              c.getEnv(),
              c.getEnvFrom()));
    }
    return targets;
  }

  static void addTargets(List<PolicyTarget> targets, String path, List<Container> containers) {
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      targets.add(
          new PolicyTarget(
              path + "[" + i + "]",
              c.getSecurityContext(),
              c.getPorts(),
              c.getEnv(),
              c.getEnvFrom()));
    }
  }

  static boolean isWindows(PodSpec spec) {
    return spec.getOs() != null && "windows".equals(spec.getOs().getName());
  }

  static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  static String name(LocalObjectReference reference) {
    return reference == null ? null : reference.getName();
  }
}
