package io.jobplane.adapters.k8s.operator;

import static io.jobplane.adapters.k8s.operator.PodSpecParts.isBlank;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.list;
import static io.jobplane.adapters.k8s.operator.PodSpecParts.name;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The baseline Pod Security Standard as the pod-security admission controller applies it: no
 * privileged containers, host namespaces, hostPath volumes, host ports, unsafe sysctls, custom
 * SELinux, seccomp or AppArmor profiles, or capabilities beyond the default set.
 */
final class BaselineStandard {

  /** Capabilities the baseline standard lets a container add. */
  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** Namespaced sysctls that cannot affect other pods on the node. */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  static final Set<String> SELINUX_TYPES =
      Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  static final Set<String> SECURE_PROFILE_TYPES = Set.of("RuntimeDefault", "Localhost");

  static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

  private BaselineStandard() {}

  static void check(
      PodTemplateSpec template, PodSpec spec, List<PolicyTarget> containers, PolicyReport report) {
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod != null) {
      checkHostProcess("spec.securityContext", pod.getWindowsOptions(), report);
      checkSeLinux("spec.securityContext", pod.getSeLinuxOptions(), report);
      checkProfileType(
          "spec.securityContext.seccompProfile.type",
          "seccomp",
          pod.getSeccompProfile() == null ? null : pod.getSeccompProfile().getType(),
          report);
      checkAppArmor("spec.securityContext", pod.getAppArmorProfile(), report);
      List<Sysctl> sysctls = list(pod.getSysctls());
      for (int i = 0; i < sysctls.size(); i++) {
        String name = sysctls.get(i).getName();
        if (!SAFE_SYSCTLS.contains(name)) {
          report.forbid(
              "spec.securityContext.sysctls[" + i + "].name", "sysctl " + name + " is not allowed");
        }
      }
    }
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      report.forbid("spec.hostNetwork", "sharing the host's network namespace is not allowed");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      report.forbid("spec.hostPID", "sharing the host's process namespace is not allowed");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      report.forbid("spec.hostIPC", "sharing the host's IPC namespace is not allowed");
    }
    List<Volume> volumes = list(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      if (volumes.get(i).getHostPath() != null) {
        report.forbid("spec.volumes[" + i + "].hostPath", "hostPath volumes are not allowed");
      }
    }
    Map<String, String> annotations =
        template.getMetadata() == null ? Map.of() : template.getMetadata().getAnnotations();
    if (annotations != null) {
      annotations.forEach(
          (key, value) -> {
            if (key.startsWith(APPARMOR_ANNOTATION)
                && !"runtime/default".equals(value)
                && (value == null || !value.startsWith("localhost/"))) {
              report.forbid(
                  "metadata.annotations[" + key + "]",
                  "AppArmor profile " + value + " is not allowed");
            }
          });
    }
    for (PolicyTarget c : containers) {
      checkContainerBaseline(c, report);
    }
  }

  private static void checkContainerBaseline(PolicyTarget c, PolicyReport report) {
    for (int j = 0; j < c.ports().size(); j++) {
      Integer hostPort = c.ports().get(j).getHostPort();
      if (hostPort != null && hostPort != 0) {
        report.forbid(c.path() + ".ports[" + j + "].hostPort", "host ports are not allowed");
      }
    }
    SecurityContext sc = c.securityContext();
    if (sc == null) {
      return;
    }
    String path = c.path() + ".securityContext";
    if (Boolean.TRUE.equals(sc.getPrivileged())) {
      report.forbid(path + ".privileged", "privileged containers are not allowed");
    }
    checkHostProcess(path, sc.getWindowsOptions(), report);
    if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
      report.forbid(path + ".procMount", "procMount " + sc.getProcMount() + " is not allowed");
    }
    checkSeLinux(path, sc.getSeLinuxOptions(), report);
    checkProfileType(
        path + ".seccompProfile.type",
        "seccomp",
        sc.getSeccompProfile() == null ? null : sc.getSeccompProfile().getType(),
        report);
    checkAppArmor(path, sc.getAppArmorProfile(), report);
    Set<String> allowed =
        report.level == Level.RESTRICTED
            ? RestrictedStandard.RESTRICTED_CAPABILITIES
            : BASELINE_CAPABILITIES;
    List<String> added =
        sc.getCapabilities() == null ? List.of() : list(sc.getCapabilities().getAdd());
    for (int j = 0; j < added.size(); j++) {
      if (!allowed.contains(added.get(j))) {
        report.forbid(
            path + ".capabilities.add[" + j + "]",
            "adding capability " + added.get(j) + " is not allowed");
      }
    }
  }

  private static void checkHostProcess(
      String path, WindowsSecurityContextOptions windows, PolicyReport report) {
    if (windows != null && Boolean.TRUE.equals(windows.getHostProcess())) {
      report.forbid(
          path + ".windowsOptions.hostProcess", "Windows HostProcess containers are not allowed");
    }
  }

  private static void checkSeLinux(String path, SELinuxOptions options, PolicyReport report) {
    if (options == null) {
      return;
    }
    if (!isBlank(options.getType()) && !SELINUX_TYPES.contains(options.getType())) {
      report.forbid(
          path + ".seLinuxOptions.type", "SELinux type " + options.getType() + " is not allowed");
    }
    if (!isBlank(options.getUser())) {
      report.forbid(path + ".seLinuxOptions.user", "setting the SELinux user is not allowed");
    }
    if (!isBlank(options.getRole())) {
      report.forbid(path + ".seLinuxOptions.role", "setting the SELinux role is not allowed");
    }
  }

  private static void checkAppArmor(String path, AppArmorProfile profile, PolicyReport report) {
    checkProfileType(
        path + ".appArmorProfile.type",
        "AppArmor",
        profile == null ? null : profile.getType(),
        report);
  }

  private static void checkProfileType(String path, String kind, String type, PolicyReport report) {
    if (type != null && !SECURE_PROFILE_TYPES.contains(type)) {
      report.forbid(path, kind + " profile " + type + " is not allowed");
    }
  }
}
