package io.jobplane.adapters.k8s.operator;

import static io.jobplane.adapters.k8s.operator.PodSpecParts.isBlank;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.isWindows;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.list;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Fills the secure defaults a pod template left unset, as the {@link PodPolicy} asks. */
final class PodHardening {

  private PodHardening() {}

  /**
   * A deep copy of {@code template} with the policy's defaults filled where the user left them
   * unset; whatever the user set explicitly is kept, so {@link #violations} still reports it. The
   * policy's service account is filled at every level; RESTRICTED also fills pod runAsNonRoot, pod
   * seccomp RuntimeDefault and, for every container, allowPrivilegeEscalation false and
   * capabilities.drop [ALL] (the last three are Linux-only, so not for Windows pods).
   */
  static PodTemplateSpec harden(PodTemplateSpec template, PodPolicy policy) {
    PodTemplateSpec copy = Serialization.clone(Objects.requireNonNull(template, "template"));
    if (copy.getSpec() == null) {
      copy.setSpec(new PodSpec());
    }
    PodSpec spec = copy.getSpec();
    if (policy.serviceAccount() != null
        && isBlank(spec.getServiceAccountName())
        && isBlank(spec.getServiceAccount())) {
      spec.setServiceAccountName(policy.serviceAccount());
    }
    if (policy.level() != Level.RESTRICTED) {
      return copy;
    }
    PodSecurityContext pod =
        spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    if (pod.getRunAsNonRoot() == null) {
      pod.setRunAsNonRoot(true);
    }
    boolean linux = !isWindows(spec);
    if (linux && pod.getSeccompProfile() == null) {
      pod.setSeccompProfile(new SeccompProfile(null, RestrictedStandard.RUNTIME_DEFAULT));
    }
    spec.setSecurityContext(pod);
    if (linux) {
      list(spec.getInitContainers())
          .forEach(c -> c.setSecurityContext(harden(c.getSecurityContext())));
      list(spec.getContainers()).forEach(c -> c.setSecurityContext(harden(c.getSecurityContext())));
      list(spec.getEphemeralContainers())
          .forEach(c -> c.setSecurityContext(harden(c.getSecurityContext())));
    }
    return copy;
  }

  private static SecurityContext harden(SecurityContext context) {
    SecurityContext hardened = context == null ? new SecurityContext() : context;
    if (hardened.getAllowPrivilegeEscalation() == null) {
      hardened.setAllowPrivilegeEscalation(false);
    }
    Capabilities capabilities =
        hardened.getCapabilities() == null ? new Capabilities() : hardened.getCapabilities();
    // an empty drop list reads the same as an absent one once deserialized
    if (capabilities.getDrop() == null || capabilities.getDrop().isEmpty()) {
      capabilities.setDrop(new ArrayList<>(List.of(RestrictedStandard.DROP_ALL)));
    }
    hardened.setCapabilities(capabilities);
    return hardened;
  }
}
