package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.AppArmorProfile;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptions;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a {@code Job} resource's pod template against the {@link PodPolicy} before anything is
 * created: {@link #harden} fills secure defaults the user left unset, {@link #violations} lists
 * what is still not allowed. The rules are the Kubernetes Pod Security Standards (baseline, and
 * restricted on top of it) as the pod-security admission controller applies them, plus the
 * platform's own rules (namespaces, service account, protected Secrets). Pure: no client.
 */
public final class PodPolicyCheck {

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

  /** The only capability the restricted standard lets a container add. */
  static final Set<String> RESTRICTED_CAPABILITIES = Set.of("NET_BIND_SERVICE");

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

  private static final String RUNTIME_DEFAULT = "RuntimeDefault";
  private static final String DROP_ALL = "ALL";

  /**
   * The volume sources in the order the API lists them; the restricted standard allows the ones
   * marked true. hostPath is left to the baseline check so it is reported once.
   */
  private static final List<VolumeType> VOLUME_TYPES =
      List.of(
          new VolumeType("configMap", true, Volume::getConfigMap),
          new VolumeType("csi", true, Volume::getCsi),
          new VolumeType("downwardAPI", true, Volume::getDownwardAPI),
          new VolumeType("emptyDir", true, Volume::getEmptyDir),
          new VolumeType("ephemeral", true, Volume::getEphemeral),
          new VolumeType("persistentVolumeClaim", true, Volume::getPersistentVolumeClaim),
          new VolumeType("projected", true, Volume::getProjected),
          new VolumeType("secret", true, Volume::getSecret),
          new VolumeType("hostPath", true, Volume::getHostPath),
          new VolumeType("awsElasticBlockStore", false, Volume::getAwsElasticBlockStore),
          new VolumeType("azureDisk", false, Volume::getAzureDisk),
          new VolumeType("azureFile", false, Volume::getAzureFile),
          new VolumeType("cephfs", false, Volume::getCephfs),
          new VolumeType("cinder", false, Volume::getCinder),
          new VolumeType("fc", false, Volume::getFc),
          new VolumeType("flexVolume", false, Volume::getFlexVolume),
          new VolumeType("flocker", false, Volume::getFlocker),
          new VolumeType("gcePersistentDisk", false, Volume::getGcePersistentDisk),
          new VolumeType("gitRepo", false, Volume::getGitRepo),
          new VolumeType("glusterfs", false, Volume::getGlusterfs),
          new VolumeType("image", false, Volume::getImage),
          new VolumeType("iscsi", false, Volume::getIscsi),
          new VolumeType("nfs", false, Volume::getNfs),
          new VolumeType("photonPersistentDisk", false, Volume::getPhotonPersistentDisk),
          new VolumeType("portworxVolume", false, Volume::getPortworxVolume),
          new VolumeType("quobyte", false, Volume::getQuobyte),
          new VolumeType("rbd", false, Volume::getRbd),
          new VolumeType("scaleIO", false, Volume::getScaleIO),
          new VolumeType("storageos", false, Volume::getStorageos),
          new VolumeType("vsphereVolume", false, Volume::getVsphereVolume));

  /** Where a volume source names a Secret (besides {@code secret} and {@code projected}). */
  private static final List<SecretField> VOLUME_SECRET_FIELDS =
      List.of(
          new SecretField(
              "csi.nodePublishSecretRef.name",
              v -> v.getCsi() == null ? null : name(v.getCsi().getNodePublishSecretRef())),
          new SecretField(
              "azureFile.secretName",
              v -> v.getAzureFile() == null ? null : v.getAzureFile().getSecretName()),
          new SecretField(
              "cephfs.secretRef.name",
              v -> v.getCephfs() == null ? null : name(v.getCephfs().getSecretRef())),
          new SecretField(
              "flexVolume.secretRef.name",
              v -> v.getFlexVolume() == null ? null : name(v.getFlexVolume().getSecretRef())),
          new SecretField(
              "iscsi.secretRef.name",
              v -> v.getIscsi() == null ? null : name(v.getIscsi().getSecretRef())),
          new SecretField(
              "rbd.secretRef.name",
              v -> v.getRbd() == null ? null : name(v.getRbd().getSecretRef())),
          new SecretField(
              "scaleIO.secretRef.name",
              v -> v.getScaleIO() == null ? null : name(v.getScaleIO().getSecretRef())),
          new SecretField(
              "storageos.secretRef.name",
              v -> v.getStorageos() == null ? null : name(v.getStorageos().getSecretRef())));

  private PodPolicyCheck() {}

  /**
   * A deep copy of {@code template} with the policy's defaults filled where the user left them
   * unset; whatever the user set explicitly is kept, so {@link #violations} still reports it. The
   * policy's service account is filled at every level; RESTRICTED also fills pod runAsNonRoot, pod
   * seccomp RuntimeDefault and, for every container, allowPrivilegeEscalation false and
   * capabilities.drop [ALL] (the last three are Linux-only, so not for Windows pods).
   */
  public static PodTemplateSpec harden(PodTemplateSpec template, PodPolicy policy) {
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
      pod.setSeccompProfile(new SeccompProfile(null, RUNTIME_DEFAULT));
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

  /**
   * What in {@code hardened} (normally the result of {@link #harden}) the policy does not allow,
   * each as {@code "<field path>: <why>"} with paths relative to the pod template (e.g. {@code
   * spec.containers[0].securityContext.privileged}); empty when the template of a {@code project}
   * job may run in {@code namespace}.
   */
  public static List<String> violations(
      String namespace, String project, PodTemplateSpec hardened, PodPolicy policy) {
    Report report = new Report(policy.level());
    PodSpec spec = hardened.getSpec() == null ? new PodSpec() : hardened.getSpec();
    List<Target> containers = targets(spec);
    checkPlatform(namespace, project, spec, containers, policy, report);
    if (policy.level() != Level.NONE) {
      checkBaseline(hardened, spec, containers, report);
    }
    if (policy.level() == Level.RESTRICTED) {
      checkRestricted(spec, containers, report);
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
    Report report = new Report(policy.level());
    PodSpec spec = template.getSpec() == null ? new PodSpec() : template.getSpec();
    checkPlatform(namespace, project, spec, targets(spec), policy, report);
    return List.copyOf(report.messages);
  }

  private static void checkPlatform(
      String namespace,
      String project,
      PodSpec spec,
      List<Target> containers,
      PodPolicy policy,
      Report report) {
    if (policy.deniedNamespaces().contains(namespace)) {
      report.platform("metadata.namespace", "namespace " + namespace + " is not allowed", null);
    }
    policy
        .projectNamespaces()
        .refusal(project, namespace)
        .ifPresent(why -> report.platform("metadata.namespace", why, null));
    checkServiceAccount(spec, policy, report);
    checkSecrets(namespace, spec, containers, policy, report);
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
      capabilities.setDrop(new ArrayList<>(List.of(DROP_ALL)));
    }
    hardened.setCapabilities(capabilities);
    return hardened;
  }

  private static void checkServiceAccount(PodSpec spec, PodPolicy policy, Report report) {
    checkServiceAccount("spec.serviceAccountName", spec.getServiceAccountName(), policy, report);
    checkServiceAccount("spec.serviceAccount", spec.getServiceAccount(), policy, report);
  }

  private static void checkServiceAccount(
      String path, String account, PodPolicy policy, Report report) {
    if (isBlank(account)) {
      return;
    }
    String allowed = policy.serviceAccount() == null ? "default" : policy.serviceAccount();
    if (!allowed.equals(account)) {
      report.platform(
          path,
          "service account " + account + " is not allowed",
          policy.serviceAccount() == null
              ? "job pods run as the namespace's default service account"
              : "job pods run as service account " + allowed);
    }
  }

  /** Every place a pod spec names a Secret, against the deny-list and the allow-list. */
  private static void checkSecrets(
      String namespace, PodSpec spec, List<Target> containers, PodPolicy policy, Report report) {
    if (policy.protectedSecrets().isEmpty() && !policy.allowedSecrets().configured()) {
      return;
    }
    SecretCheck check = (path, name) -> checkSecret(path, name, namespace, policy, report);
    List<LocalObjectReference> pullSecrets = list(spec.getImagePullSecrets());
    for (int i = 0; i < pullSecrets.size(); i++) {
      check.at("spec.imagePullSecrets[" + i + "].name", name(pullSecrets.get(i)));
    }
    List<Volume> volumes = list(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      Volume volume = volumes.get(i);
      String path = "spec.volumes[" + i + "].";
      if (volume.getSecret() != null) {
        check.at(path + "secret.secretName", volume.getSecret().getSecretName());
      }
      if (volume.getProjected() != null) {
        List<VolumeProjection> sources = list(volume.getProjected().getSources());
        for (int j = 0; j < sources.size(); j++) {
          if (sources.get(j).getSecret() != null) {
            check.at(
                path + "projected.sources[" + j + "].secret.name",
                sources.get(j).getSecret().getName());
          }
        }
      }
      for (SecretField field : VOLUME_SECRET_FIELDS) {
        check.at(path + field.path(), field.name().apply(volume));
      }
    }
    for (Target c : containers) {
      for (int j = 0; j < c.env().size(); j++) {
        EnvVar env = c.env().get(j);
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          check.at(
              c.path() + ".env[" + j + "].valueFrom.secretKeyRef.name",
              env.getValueFrom().getSecretKeyRef().getName());
        }
      }
      for (int j = 0; j < c.envFrom().size(); j++) {
        EnvFromSource source = c.envFrom().get(j);
        if (source.getSecretRef() != null) {
          check.at(
              c.path() + ".envFrom[" + j + "].secretRef.name", source.getSecretRef().getName());
        }
      }
    }
  }

  private static void checkSecret(
      String path, String name, String namespace, PodPolicy policy, Report report) {
    if (name == null) {
      return;
    }
    if (policy.protectedSecrets().contains(name)) {
      report.platform(path, "references to Secret " + name + " are not allowed", null);
    } else if (!policy.allowedSecrets().allows(namespace, name)) {
      report.platform(
          path,
          "Secret " + name + " is not on the allow-list of namespace " + namespace,
          "ask the platform team to add it (--allowed-secrets)");
    }
  }

  private static void checkBaseline(
      PodTemplateSpec template, PodSpec spec, List<Target> containers, Report report) {
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
    for (Target c : containers) {
      checkContainerBaseline(c, report);
    }
  }

  private static void checkContainerBaseline(Target c, Report report) {
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
        report.level == Level.RESTRICTED ? RESTRICTED_CAPABILITIES : BASELINE_CAPABILITIES;
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
      String path, WindowsSecurityContextOptions windows, Report report) {
    if (windows != null && Boolean.TRUE.equals(windows.getHostProcess())) {
      report.forbid(
          path + ".windowsOptions.hostProcess", "Windows HostProcess containers are not allowed");
    }
  }

  private static void checkSeLinux(String path, SELinuxOptions options, Report report) {
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

  private static void checkAppArmor(String path, AppArmorProfile profile, Report report) {
    checkProfileType(
        path + ".appArmorProfile.type",
        "AppArmor",
        profile == null ? null : profile.getType(),
        report);
  }

  private static void checkProfileType(String path, String kind, String type, Report report) {
    if (type != null && !SECURE_PROFILE_TYPES.contains(type)) {
      report.forbid(path, kind + " profile " + type + " is not allowed");
    }
  }

  private static void checkRestricted(PodSpec spec, List<Target> containers, Report report) {
    List<Volume> volumes = list(spec.getVolumes());
    for (int i = 0; i < volumes.size(); i++) {
      String type = volumeType(volumes.get(i));
      if (type != null) {
        report.forbid("spec.volumes[" + i + "]", "volumes of type " + type + " are not allowed");
      }
    }
    PodSecurityContext pod =
        spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    if (Long.valueOf(0).equals(pod.getRunAsUser())) {
      report.forbid("spec.securityContext.runAsUser", "running as user 0 (root) is not allowed");
    }
    boolean anyNonRootUnset = false;
    boolean anySeccompUnset = false;
    boolean linux = !isWindows(spec);
    for (Target c : containers) {
      SecurityContext sc =
          c.securityContext() == null ? new SecurityContext() : c.securityContext();
      String path = c.path() + ".securityContext";
      if (Boolean.FALSE.equals(sc.getRunAsNonRoot())) {
        report.require(path + ".runAsNonRoot", "must not be false");
      }
      anyNonRootUnset |= sc.getRunAsNonRoot() == null;
      if (Long.valueOf(0).equals(sc.getRunAsUser())) {
        report.forbid(path + ".runAsUser", "running as user 0 (root) is not allowed");
      }
      if (!linux) {
        continue; // the pod-security admission controller exempts Windows pods from these
      }
      anySeccompUnset |= sc.getSeccompProfile() == null || sc.getSeccompProfile().getType() == null;
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        report.require(path + ".allowPrivilegeEscalation", "must be false");
      }
      List<String> dropped =
          sc.getCapabilities() == null ? List.of() : list(sc.getCapabilities().getDrop());
      if (!dropped.contains(DROP_ALL)) {
        report.require(path + ".capabilities.drop", "must include ALL");
      }
    }
    if (!Boolean.TRUE.equals(pod.getRunAsNonRoot()) && anyNonRootUnset) {
      report.require(
          "spec.securityContext.runAsNonRoot", "must be true (or set true on every container)");
    }
    boolean podSeccomp =
        pod.getSeccompProfile() != null && pod.getSeccompProfile().getType() != null;
    if (linux && !podSeccomp && anySeccompUnset) {
      report.require(
          "spec.securityContext.seccompProfile.type",
          "must be RuntimeDefault or Localhost (or set on every container)");
    }
  }

  /** The volume's type when the restricted standard does not allow it, else null. */
  private static String volumeType(Volume volume) {
    boolean known = false;
    for (VolumeType type : VOLUME_TYPES) {
      if (type.source().apply(volume) != null) {
        if (!type.allowed()) {
          return type.name();
        }
        known = true;
      }
    }
    // a volume with no source at all is defaulted to emptyDir by the API server
    if (!known && !volume.getAdditionalProperties().isEmpty()) {
      return volume.getAdditionalProperties().keySet().iterator().next();
    }
    return null;
  }

  private static List<Target> targets(PodSpec spec) {
    List<Target> targets = new ArrayList<>();
    addTargets(targets, "spec.initContainers", list(spec.getInitContainers()));
    addTargets(targets, "spec.containers", list(spec.getContainers()));
    List<EphemeralContainer> ephemeral = list(spec.getEphemeralContainers());
    for (int i = 0; i < ephemeral.size(); i++) {
      EphemeralContainer c = ephemeral.get(i);
      targets.add(
          new Target(
              "spec.ephemeralContainers[" + i + "]",
              c.getSecurityContext(),
              c.getPorts(),
              c.getEnv(),
              c.getEnvFrom()));
    }
    return targets;
  }

  private static void addTargets(List<Target> targets, String path, List<Container> containers) {
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      targets.add(
          new Target(
              path + "[" + i + "]",
              c.getSecurityContext(),
              c.getPorts(),
              c.getEnv(),
              c.getEnvFrom()));
    }
  }

  private static boolean isWindows(PodSpec spec) {
    return spec.getOs() != null && "windows".equals(spec.getOs().getName());
  }

  private static <T> List<T> list(List<T> values) {
    return values == null ? List.of() : values;
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private static String name(LocalObjectReference reference) {
    return reference == null ? null : reference.getName();
  }

  /** A container, init container or ephemeral container: what the checks look at. */
  private record Target(
      String path,
      SecurityContext securityContext,
      List<ContainerPort> ports,
      List<EnvVar> env,
      List<EnvFromSource> envFrom) {

    Target {
      ports = ports == null ? List.of() : ports;
      env = env == null ? List.of() : env;
      envFrom = envFrom == null ? List.of() : envFrom;
    }
  }

  private record VolumeType(String name, boolean allowed, Function<Volume, Object> source) {}

  private record SecretField(String path, Function<Volume, String> name) {}

  @FunctionalInterface
  private interface SecretCheck {
    void at(String path, String name);
  }

  /** Collects messages, each naming the policy that forbids the field. */
  private static final class Report {

    private final Level level;
    private final List<String> messages = new ArrayList<>();

    Report(Level level) {
      this.level = level;
    }

    /** {@code "<path>: <what> by the <level> policy"}. */
    void forbid(String path, String what) {
      messages.add(path + ": " + what + " by the " + level.label() + " policy");
    }

    /** {@code "<path>: <what>, as the <level> policy requires"}. */
    void require(String path, String what) {
      messages.add(path + ": " + what + ", as the " + level.label() + " policy requires");
    }

    /** {@code "<path>: <what> by the platform policy[; <hint>]"}, whatever the level. */
    void platform(String path, String what, String hint) {
      messages.add(
          path + ": " + what + " by the platform policy" + (hint == null ? "" : "; " + hint));
    }
  }
}
