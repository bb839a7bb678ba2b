package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;

/** A container, init container or ephemeral container: what the checks look at. */
record PolicyTarget(
    String path,
    SecurityContext securityContext,
    List<ContainerPort> ports,
    List<EnvVar> env,
    List<EnvFromSource> envFrom) {

  PolicyTarget {
    ports = ports == null ? List.of() : ports;
    env = env == null ? List.of() : env;
    envFrom = envFrom == null ? List.of() : envFrom;
  }
}
