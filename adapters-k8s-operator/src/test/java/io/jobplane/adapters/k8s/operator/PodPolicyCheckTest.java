package io.jobplane.adapters.k8s.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.AppArmorProfileBuilder;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodOS;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SELinuxOptionsBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.WindowsSecurityContextOptionsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jobplane.adapters.k8s.operator.PodPolicy.Level;
import io.jobplane.application.security.AllowedSecrets;
import io.jobplane.application.security.ProjectNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodPolicyCheckTest {

  private static final String NAMESPACE = "team-a";
  private static final String PROJECT = "analytics";
  private static final PodPolicy RESTRICTED = PodPolicy.defaults();
  private static final PodPolicy BASELINE = withLevel(Level.BASELINE);
  private static final PodPolicy NONE = withLevel(Level.NONE);

  @Test
  void defaultsAreRestrictedWithTheControlPlaneNamespacesDenied() {
    PodPolicy defaults = PodPolicy.defaults();

    assertThat(defaults.level()).isEqualTo(Level.RESTRICTED);
    assertThat(defaults.deniedNamespaces())
        .containsExactlyInAnyOrder("kube-system", "kube-public", "kube-node-lease");
    assertThat(defaults.protectedSecrets()).isEmpty();
    assertThat(defaults.serviceAccount()).isNull();
    assertThat(new PodPolicy(Level.NONE, null, null, null).deniedNamespaces()).isEmpty();
  }

  @Test
  void aPlainTemplateHardenedForRestrictedHasNoViolations() {
    PodTemplateSpec hardened = PodPolicyCheck.harden(template(), RESTRICTED);

    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED)).isEmpty();
  }

  @Test
  void aPlainTemplateThatIsNotHardenedFailsRestrictedOnTheDefaultsHardeningFills() {
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, template(), RESTRICTED))
        .containsExactly(
            "spec.containers[0].securityContext.allowPrivilegeEscalation: must be false,"
                + " as the restricted policy requires",
            "spec.containers[0].securityContext.capabilities.drop: must include ALL,"
                + " as the restricted policy requires",
            "spec.securityContext.runAsNonRoot: must be true (or set true on every container),"
                + " as the restricted policy requires",
            "spec.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost"
                + " (or set on every container), as the restricted policy requires");
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, template(), BASELINE)).isEmpty();
  }

  @Test
  void hardeningFillsSecureDefaultsOnEveryContainerOfACopy() {
    PodTemplateSpec original = template();
    original.getSpec().getInitContainers().add(container("init"));
    original
        .getSpec()
        .getEphemeralContainers()
        .add(new EphemeralContainerBuilder().withName("debug").withImage("busybox").build());

    PodTemplateSpec hardened = PodPolicyCheck.harden(original, RESTRICTED);

    PodSecurityContext pod = hardened.getSpec().getSecurityContext();
    assertThat(pod.getRunAsNonRoot()).isTrue();
    assertThat(pod.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    List<SecurityContext> contexts =
        List.of(
            hardened.getSpec().getInitContainers().get(0).getSecurityContext(),
            hardened.getSpec().getContainers().get(0).getSecurityContext(),
            hardened.getSpec().getEphemeralContainers().get(0).getSecurityContext());
    assertThat(contexts)
        .allSatisfy(
            sc -> {
              assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
              assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
              assertThat(sc.getCapabilities().getAdd()).isEmpty();
            });
    assertThat(original).as("the original is not modified").isEqualTo(templateWithExtras());
    assertThat(hardened.getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/example/report:1.2");
    assertThat(hardened.getMetadata().getLabels()).containsEntry("app", "report");
    assertThat(hardened.getSpec().getServiceAccountName()).isNull();
  }

  @Test
  void hardeningNeverOverridesWhatTheUserSetSoTheViolationsShowIt() {
    PodTemplateSpec template = template();
    template.getSpec().setSecurityContext(new PodSecurityContext());
    template.getSpec().getSecurityContext().setRunAsNonRoot(false);
    template
        .getSpec()
        .getSecurityContext()
        .setSeccompProfile(new SeccompProfile(null, "Unconfined"));
    SecurityContext sc = new SecurityContext();
    sc.setAllowPrivilegeEscalation(true);
    sc.setCapabilities(new Capabilities(List.of(), List.of("NET_RAW")));
    main(template).setSecurityContext(sc);

    PodTemplateSpec hardened = PodPolicyCheck.harden(template, RESTRICTED);

    assertThat(hardened.getSpec().getSecurityContext().getRunAsNonRoot()).isFalse();
    assertThat(hardened.getSpec().getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("Unconfined");
    SecurityContext hardenedContext = main(hardened).getSecurityContext();
    assertThat(hardenedContext.getAllowPrivilegeEscalation()).isTrue();
    assertThat(hardenedContext.getCapabilities().getDrop()).containsExactly("NET_RAW");
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED))
        .containsExactly(
            "spec.securityContext.seccompProfile.type: seccomp profile Unconfined is not allowed"
                + " by the restricted policy",
            "spec.containers[0].securityContext.allowPrivilegeEscalation: must be false,"
                + " as the restricted policy requires",
            "spec.containers[0].securityContext.capabilities.drop: must include ALL,"
                + " as the restricted policy requires",
            "spec.securityContext.runAsNonRoot: must be true (or set true on every container),"
                + " as the restricted policy requires");
  }

  @Test
  void onlyRestrictedHardensTheSecurityContexts() {
    assertThat(PodPolicyCheck.harden(template(), BASELINE)).isEqualTo(template());
    assertThat(PodPolicyCheck.harden(template(), NONE)).isEqualTo(template());
  }

  @Test
  void aWindowsPodGetsNoLinuxOnlyDefaultsAndIsNotCheckedForThem() {
    PodTemplateSpec template = template();
    template.getSpec().setOs(new PodOS("windows"));

    PodTemplateSpec hardened = PodPolicyCheck.harden(template, RESTRICTED);

    assertThat(hardened.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(hardened.getSpec().getSecurityContext().getSeccompProfile()).isNull();
    assertThat(main(hardened).getSecurityContext()).isNull();
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED)).isEmpty();
  }

  static Stream<Arguments> baselineViolations() {
    return Stream.of(
        violation(
            "privileged container",
            t -> security(t).setPrivileged(true),
            "spec.containers[0].securityContext.privileged: privileged containers are not"
                + " allowed"),
        violation(
            "host network",
            t -> t.getSpec().setHostNetwork(true),
            "spec.hostNetwork: sharing the host's network namespace is not allowed"),
        violation(
            "host PID",
            t -> t.getSpec().setHostPID(true),
            "spec.hostPID: sharing the host's process namespace is not allowed"),
        violation(
            "host IPC",
            t -> t.getSpec().setHostIPC(true),
            "spec.hostIPC: sharing the host's IPC namespace is not allowed"),
        violation(
            "hostPath volume",
            t -> t.getSpec().getVolumes().add(volume().withNewHostPath("/etc", null).build()),
            "spec.volumes[0].hostPath: hostPath volumes are not allowed"),
        violation(
            "host port",
            t ->
                main(t)
                    .getPorts()
                    .add(new ContainerPortBuilder().withContainerPort(80).withHostPort(80).build()),
            "spec.containers[0].ports[0].hostPort: host ports are not allowed"),
        violation(
            "capability beyond the baseline list",
            t -> security(t).getCapabilities().getAdd().add("SYS_ADMIN"),
            "spec.containers[0].securityContext.capabilities.add[0]: adding capability SYS_ADMIN"
                + " is not allowed"),
        violation(
            "unmasked /proc",
            t -> security(t).setProcMount("Unmasked"),
            "spec.containers[0].securityContext.procMount: procMount Unmasked is not allowed"),
        violation(
            "unsafe sysctl",
            t ->
                podSecurity(t)
                    .getSysctls()
                    .addAll(
                        List.of(
                            new Sysctl("net.ipv4.tcp_syncookies", "1"),
                            new Sysctl("kernel.msgmax", "65536"))),
            "spec.securityContext.sysctls[1].name: sysctl kernel.msgmax is not allowed"),
        violation(
            "SELinux type",
            t ->
                podSecurity(t)
                    .setSeLinuxOptions(new SELinuxOptionsBuilder().withType("spc_t").build()),
            "spec.securityContext.seLinuxOptions.type: SELinux type spc_t is not allowed"),
        violation(
            "SELinux user",
            t ->
                security(t)
                    .setSeLinuxOptions(new SELinuxOptionsBuilder().withUser("system_u").build()),
            "spec.containers[0].securityContext.seLinuxOptions.user: setting the SELinux user is"
                + " not allowed"),
        violation(
            "SELinux role",
            t ->
                security(t)
                    .setSeLinuxOptions(new SELinuxOptionsBuilder().withRole("system_r").build()),
            "spec.containers[0].securityContext.seLinuxOptions.role: setting the SELinux role is"
                + " not allowed"),
        violation(
            "AppArmor unconfined (field)",
            t ->
                security(t)
                    .setAppArmorProfile(
                        new AppArmorProfileBuilder().withType("Unconfined").build()),
            "spec.containers[0].securityContext.appArmorProfile.type: AppArmor profile Unconfined"
                + " is not allowed"),
        violation(
            "AppArmor unconfined (pod field)",
            t ->
                podSecurity(t)
                    .setAppArmorProfile(
                        new AppArmorProfileBuilder().withType("Unconfined").build()),
            "spec.securityContext.appArmorProfile.type: AppArmor profile Unconfined is not"
                + " allowed"),
        violation(
            "AppArmor unconfined (annotation)",
            t ->
                t.getMetadata()
                    .getAnnotations()
                    .put("container.apparmor.security.beta.kubernetes.io/main", "unconfined"),
            "metadata.annotations[container.apparmor.security.beta.kubernetes.io/main]: AppArmor"
                + " profile unconfined is not allowed"),
        violation(
            "seccomp unconfined on a container",
            t -> security(t).setSeccompProfile(new SeccompProfile(null, "Unconfined")),
            "spec.containers[0].securityContext.seccompProfile.type: seccomp profile Unconfined is"
                + " not allowed"),
        violation(
            "Windows HostProcess (pod)",
            t ->
                podSecurity(t)
                    .setWindowsOptions(
                        new WindowsSecurityContextOptionsBuilder().withHostProcess(true).build()),
            "spec.securityContext.windowsOptions.hostProcess: Windows HostProcess containers are"
                + " not allowed"),
        violation(
            "Windows HostProcess (container)",
            t ->
                security(t)
                    .setWindowsOptions(
                        new WindowsSecurityContextOptionsBuilder().withHostProcess(true).build()),
            "spec.containers[0].securityContext.windowsOptions.hostProcess: Windows HostProcess"
                + " containers are not allowed"),
        violation(
            "privileged init container",
            t -> {
              Container init = container("init");
              init.setSecurityContext(new SecurityContext());
              init.getSecurityContext().setPrivileged(true);
              t.getSpec().getInitContainers().add(init);
            },
            "spec.initContainers[0].securityContext.privileged: privileged containers are not"
                + " allowed"),
        violation(
            "privileged ephemeral container",
            t -> {
              SecurityContext sc = new SecurityContext();
              sc.setPrivileged(true);
              t.getSpec()
                  .getEphemeralContainers()
                  .add(
                      new EphemeralContainerBuilder()
                          .withName("debug")
                          .withSecurityContext(sc)
                          .build());
            },
            "spec.ephemeralContainers[0].securityContext.privileged: privileged containers are"
                + " not allowed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("baselineViolations")
  void baselineViolationsAreReportedByBaselineAndRestrictedButNotNone(
      Consumer<PodTemplateSpec> change, String expected) {
    assertThat(check(change, BASELINE)).containsExactly(expected + " by the baseline policy");
    assertThat(check(change, RESTRICTED)).containsExactly(expected + " by the restricted policy");
    assertThat(check(change, NONE)).isEmpty();
  }

  static Stream<Arguments> restrictedViolations() {
    return Stream.of(
        violation(
            "nfs volume",
            t -> t.getSpec().getVolumes().add(volume().withNewNfs("/export", false, "nfs").build()),
            "spec.volumes[0]: volumes of type nfs are not allowed by the restricted policy"),
        violation(
            "gitRepo volume",
            t ->
                t.getSpec()
                    .getVolumes()
                    .add(volume().withNewGitRepo(null, "https://example.com/r.git", null).build()),
            "spec.volumes[0]: volumes of type gitRepo are not allowed by the restricted policy"),
        violation(
            "privilege escalation",
            t -> security(t).setAllowPrivilegeEscalation(true),
            "spec.containers[0].securityContext.allowPrivilegeEscalation: must be false,"
                + " as the restricted policy requires"),
        violation(
            "root user on the pod",
            t -> podSecurity(t).setRunAsUser(0L),
            "spec.securityContext.runAsUser: running as user 0 (root) is not allowed by the"
                + " restricted policy"),
        violation(
            "root user on a container",
            t -> security(t).setRunAsUser(0L),
            "spec.containers[0].securityContext.runAsUser: running as user 0 (root) is not"
                + " allowed by the restricted policy"),
        violation(
            "a container allows running as root",
            t -> security(t).setRunAsNonRoot(false),
            "spec.containers[0].securityContext.runAsNonRoot: must not be false,"
                + " as the restricted policy requires"),
        violation(
            "capabilities not dropped",
            t -> security(t).getCapabilities().getDrop().add("NET_RAW"),
            "spec.containers[0].securityContext.capabilities.drop: must include ALL,"
                + " as the restricted policy requires"),
        violation(
            "a baseline capability",
            t -> security(t).getCapabilities().getAdd().add("CHOWN"),
            "spec.containers[0].securityContext.capabilities.add[0]: adding capability CHOWN is"
                + " not allowed by the restricted policy"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("restrictedViolations")
  void restrictedViolationsAreReportedByRestrictedOnly(
      Consumer<PodTemplateSpec> change, String expected) {
    assertThat(check(change, RESTRICTED)).containsExactly(expected);
    assertThat(check(change, BASELINE)).isEmpty();
    assertThat(check(change, NONE)).isEmpty();
  }

  static Stream<Arguments> allowedByRestricted() {
    return Stream.<Arguments>of(
        allowed(
            "NET_BIND_SERVICE added",
            t -> security(t).getCapabilities().getAdd().add("NET_BIND_SERVICE")),
        allowed(
            "host port 0",
            t ->
                main(t)
                    .getPorts()
                    .add(
                        new ContainerPortBuilder()
                            .withContainerPort(8080)
                            .withHostPort(0)
                            .build())),
        allowed("procMount Default", t -> security(t).setProcMount("Default")),
        allowed(
            "safe sysctl",
            t ->
                podSecurity(t)
                    .getSysctls()
                    .add(new Sysctl("net.ipv4.ip_local_port_range", "1024 65535"))),
        allowed(
            "SELinux container_init_t and level",
            t ->
                security(t)
                    .setSeLinuxOptions(
                        new SELinuxOptionsBuilder()
                            .withType("container_init_t")
                            .withLevel("s0:c123,c456")
                            .build())),
        allowed(
            "AppArmor runtime/default and localhost annotations",
            t -> {
              t.getMetadata()
                  .getAnnotations()
                  .put("container.apparmor.security.beta.kubernetes.io/main", "runtime/default");
              t.getMetadata()
                  .getAnnotations()
                  .put(
                      "container.apparmor.security.beta.kubernetes.io/side", "localhost/k8s-nginx");
            }),
        allowed(
            "AppArmor Localhost field",
            t ->
                security(t)
                    .setAppArmorProfile(
                        new AppArmorProfileBuilder()
                            .withType("Localhost")
                            .withLocalhostProfile("k8s-nginx")
                            .build())),
        allowed(
            "seccomp Localhost",
            t ->
                podSecurity(t)
                    .setSeccompProfile(new SeccompProfile("profiles/audit.json", "Localhost"))),
        allowed("non-root user", t -> podSecurity(t).setRunAsUser(1000L)),
        allowed("container runAsNonRoot true", t -> security(t).setRunAsNonRoot(true)),
        allowed(
            "every allowed volume type",
            t ->
                t.getSpec()
                    .getVolumes()
                    .addAll(
                        List.of(
                            volume().withNewConfigMap().withName("cm").endConfigMap().build(),
                            volume().withNewCsi().withDriver("csi.example.com").endCsi().build(),
                            volume().withNewDownwardAPI().endDownwardAPI().build(),
                            volume().withNewEmptyDir().endEmptyDir().build(),
                            volume()
                                .withNewEphemeral()
                                .withNewVolumeClaimTemplate()
                                .endVolumeClaimTemplate()
                                .endEphemeral()
                                .build(),
                            volume().withNewPersistentVolumeClaim("data", false).build(),
                            volume().withNewProjected().endProjected().build(),
                            volume()
                                .withNewSecret()
                                .withSecretName("app-secret")
                                .endSecret()
                                .build(),
                            new VolumeBuilder().withName("no-source").build()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allowedByRestricted")
  void valuesTheRestrictedStandardAllowsPass(Consumer<PodTemplateSpec> change) {
    assertThat(check(change, RESTRICTED)).isEmpty();
    assertThat(check(change, BASELINE)).isEmpty();
  }

  @Test
  void runAsNonRootMayBeSetOnEveryContainerInsteadOfThePod() {
    Consumer<PodTemplateSpec> everyContainer =
        t -> {
          podSecurity(t).setRunAsNonRoot(false);
          security(t).setRunAsNonRoot(true);
        };
    Consumer<PodTemplateSpec> notTheInitContainer =
        everyContainer.andThen(t -> t.getSpec().getInitContainers().add(container("init")));

    assertThat(check(everyContainer, RESTRICTED)).isEmpty();
    assertThat(check(notTheInitContainer, RESTRICTED))
        .containsExactly(
            "spec.securityContext.runAsNonRoot: must be true (or set true on every container),"
                + " as the restricted policy requires");
  }

  @Test
  void seccompMayBeSetOnEveryContainerInsteadOfThePod() {
    PodTemplateSpec template = template();
    SecurityContext sc = new SecurityContext();
    sc.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    main(template).setSecurityContext(sc);
    template.getSpec().setSecurityContext(new PodSecurityContext());
    PodTemplateSpec hardened = PodPolicyCheck.harden(template, RESTRICTED);
    hardened.getSpec().getSecurityContext().setSeccompProfile(null);

    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED)).isEmpty();

    Container init = container("init");
    init.setSecurityContext(Serialization.clone(main(hardened).getSecurityContext()));
    init.getSecurityContext().setSeccompProfile(null);
    hardened.getSpec().getInitContainers().add(init);
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED))
        .containsExactly(
            "spec.securityContext.seccompProfile.type: must be RuntimeDefault or Localhost"
                + " (or set on every container), as the restricted policy requires");
  }

  @Test
  void everyViolationIsListedInOneAnswer() {
    Consumer<PodTemplateSpec> many =
        t -> {
          t.getSpec().setHostNetwork(true);
          security(t).setPrivileged(true);
          security(t).setRunAsUser(0L);
        };

    assertThat(check(many, RESTRICTED)).hasSize(3);
    assertThat(
            PodPolicyCheck.violations("kube-system", PROJECT, harden(many, RESTRICTED), RESTRICTED))
        .hasSize(4);
  }

  @Test
  void aDeniedNamespaceIsRejectedAtEveryLevel() {
    for (PodPolicy policy : List.of(RESTRICTED, BASELINE, NONE)) {
      assertThat(
              PodPolicyCheck.violations(
                  "kube-system", PROJECT, PodPolicyCheck.harden(template(), policy), policy))
          .containsExactly(
              "metadata.namespace: namespace kube-system is not allowed by the platform policy");
    }
  }

  @Test
  void withoutAConfiguredServiceAccountPodsRunAsTheNamespaceDefault() {
    assertThat(check(t -> t.getSpec().setServiceAccountName("default"), NONE)).isEmpty();
    assertThat(check(t -> t.getSpec().setServiceAccountName("ci-admin"), NONE))
        .containsExactly(
            "spec.serviceAccountName: service account ci-admin is not allowed by the platform"
                + " policy; job pods run as the namespace's default service account");
    assertThat(check(t -> t.getSpec().setServiceAccount("ci-admin"), RESTRICTED))
        .containsExactly(
            "spec.serviceAccount: service account ci-admin is not allowed by the platform"
                + " policy; job pods run as the namespace's default service account");
  }

  @Test
  void aConfiguredServiceAccountIsFilledInAndNoOtherIsAllowed() {
    PodPolicy policy = new PodPolicy(Level.RESTRICTED, Set.of(), Set.of(), "jobplane-runner");

    PodTemplateSpec hardened = PodPolicyCheck.harden(template(), policy);

    assertThat(hardened.getSpec().getServiceAccountName()).isEqualTo("jobplane-runner");
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, policy)).isEmpty();
    assertThat(check(t -> t.getSpec().setServiceAccountName("jobplane-runner"), policy)).isEmpty();
    assertThat(check(t -> t.getSpec().setServiceAccountName("default"), policy))
        .containsExactly(
            "spec.serviceAccountName: service account default is not allowed by the platform"
                + " policy; job pods run as service account jobplane-runner");
    assertThat(
            PodPolicyCheck.harden(mutated(t -> t.getSpec().setServiceAccount("legacy")), policy)
                .getSpec()
                .getServiceAccountName())
        .as("a template naming one through the deprecated field is not given a second one")
        .isNull();
  }

  static Stream<Arguments> protectedSecretReferences() {
    return Stream.of(
        violation(
            "image pull secret",
            t -> t.getSpec().getImagePullSecrets().add(new LocalObjectReference("platform-db")),
            "spec.imagePullSecrets[0].name"),
        violation(
            "secret volume",
            t ->
                t.getSpec()
                    .getVolumes()
                    .add(
                        volume().withNewSecret().withSecretName("platform-db").endSecret().build()),
            "spec.volumes[0].secret.secretName"),
        violation(
            "projected volume",
            t ->
                t.getSpec()
                    .getVolumes()
                    .add(
                        volume()
                            .withNewProjected()
                            .addNewSource()
                            .withNewConfigMap()
                            .withName("cm")
                            .endConfigMap()
                            .endSource()
                            .addNewSource()
                            .withNewSecret()
                            .withName("platform-db")
                            .endSecret()
                            .endSource()
                            .endProjected()
                            .build()),
            "spec.volumes[0].projected.sources[1].secret.name"),
        violation(
            "CSI node publish secret",
            t ->
                t.getSpec()
                    .getVolumes()
                    .add(
                        volume()
                            .withNewCsi()
                            .withDriver("csi.example.com")
                            .withNewNodePublishSecretRef("platform-db")
                            .endCsi()
                            .build()),
            "spec.volumes[0].csi.nodePublishSecretRef.name"),
        violation(
            "env secretKeyRef",
            t ->
                main(t)
                    .getEnv()
                    .addAll(
                        List.of(
                            new EnvVarBuilder().withName("A").withValue("1").build(),
                            new EnvVarBuilder()
                                .withName("PASSWORD")
                                .withNewValueFrom()
                                .withNewSecretKeyRef("password", "platform-db", false)
                                .endValueFrom()
                                .build())),
            "spec.containers[0].env[1].valueFrom.secretKeyRef.name"),
        violation(
            "envFrom secretRef in an init container",
            t -> {
              Container init = container("init");
              init.getEnvFrom()
                  .add(new EnvFromSourceBuilder().withNewSecretRef("platform-db", false).build());
              t.getSpec().getInitContainers().add(init);
            },
            "spec.initContainers[0].envFrom[0].secretRef.name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protectedSecretReferences")
  void referencesToProtectedSecretsAreRejectedAtEveryLevel(
      Consumer<PodTemplateSpec> change, String path) {
    String expected =
        path + ": references to Secret platform-db are not allowed by the platform policy";
    for (Level level : Level.values()) {
      PodPolicy policy =
          new PodPolicy(level, Set.of(), Set.of("platform-db", "platform-tls"), null);
      assertThat(check(change, policy)).as(level.name()).containsExactly(expected);
    }
    PodPolicy unprotected = new PodPolicy(Level.NONE, Set.of(), Set.of("platform-tls"), null);
    assertThat(check(change, unprotected)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("protectedSecretReferences")
  void referencesToSecretsOffTheNamespacesAllowListAreRejectedAtEveryLevel(
      Consumer<PodTemplateSpec> change, String path) {
    String expected =
        path
            + ": Secret platform-db is not on the allow-list of namespace team-a by the platform"
            + " policy; ask the platform team to add it (--allowed-secrets)";
    for (Level level : Level.values()) {
      PodPolicy policy =
          withLevel(level)
              .withAllowedSecrets(
                  new AllowedSecrets(
                      Map.of(NAMESPACE, Set.of("app-creds"), "ops", Set.of("platform-db"))));
      assertThat(check(change, policy)).as(level.name()).containsExactly(expected);
      assertThat(
              check(
                  change,
                  policy.withAllowedSecrets(
                      new AllowedSecrets(Map.of(NAMESPACE, Set.of("platform-db"))))))
          .as("on the list")
          .isEmpty();
    }
  }

  @Test
  void onceAnAllowListExistsANamespaceWithoutOneMayReferenceNoSecret() {
    PodPolicy policy =
        NONE.withAllowedSecrets(new AllowedSecrets(Map.of("ops", Set.of("app-creds"))));

    assertThat(check(t -> t.getSpec().getVolumes().add(secretVolume("app-creds")), policy))
        .singleElement()
        .asString()
        .contains("Secret app-creds is not on the allow-list of namespace team-a");
  }

  @Test
  void theDenyListStillWinsOverTheAllowList() {
    PodPolicy policy =
        new PodPolicy(Level.NONE, Set.of(), Set.of("platform-db"), null)
            .withAllowedSecrets(new AllowedSecrets(Map.of(NAMESPACE, Set.of("platform-db"))));

    assertThat(check(t -> t.getSpec().getVolumes().add(secretVolume("platform-db")), policy))
        .containsExactly(
            "spec.volumes[0].secret.secretName: references to Secret platform-db are not allowed"
                + " by the platform policy");
  }

  @Test
  void aNamespaceTheProjectMayNotUseIsRejectedAtEveryLevel() {
    ProjectNamespaces mapping =
        new ProjectNamespaces(Map.of(PROJECT, Set.of("etl-prod"), "ml", Set.of(NAMESPACE)));
    for (Level level : Level.values()) {
      PodPolicy policy = withLevel(level).withProjectNamespaces(mapping);
      assertThat(check(t -> {}, policy))
          .as(level.name())
          .containsExactly(
              "metadata.namespace: project analytics may not run jobs in namespace team-a"
                  + " (allowed: etl-prod) by the platform policy");
      assertThat(PodPolicyCheck.violations("etl-prod", PROJECT, harden(t -> {}, policy), policy))
          .isEmpty();
    }
  }

  @Test
  void thePlatformRulesAloneLeaveThePodSecurityChecksOut() {
    PodPolicy policy =
        RESTRICTED.withAllowedSecrets(new AllowedSecrets(Map.of(NAMESPACE, Set.of())));
    PodTemplateSpec template =
        mutated(
            t -> {
              t.getSpec().setHostNetwork(true);
              t.getSpec().getVolumes().add(secretVolume("app-creds"));
            });

    assertThat(PodPolicyCheck.platformViolations(NAMESPACE, PROJECT, template, policy))
        .containsExactly(
            "spec.volumes[0].secret.secretName: Secret app-creds is not on the allow-list of"
                + " namespace team-a by the platform policy; ask the platform team to add it"
                + " (--allowed-secrets)");
  }

  private static Volume secretVolume(String secret) {
    return volume().withNewSecret().withSecretName(secret).endSecret().build();
  }

  @Test
  void levelNoneChecksOnlyThePlatformRules() {
    Consumer<PodTemplateSpec> everything =
        t -> {
          t.getSpec().setHostPID(true);
          security(t).setPrivileged(true);
          t.getSpec().getVolumes().add(volume().withNewHostPath("/", null).build());
        };

    assertThat(check(everything, NONE)).isEmpty();
    assertThat(check(everything, BASELINE)).hasSize(3);
  }

  @Test
  void aTemplateWithoutASpecIsCheckedAsAnEmptyPod() {
    PodTemplateSpec empty = new PodTemplateSpec();

    PodTemplateSpec hardened = PodPolicyCheck.harden(empty, RESTRICTED);

    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, hardened, RESTRICTED)).isEmpty();
    assertThat(PodPolicyCheck.violations(NAMESPACE, PROJECT, empty, BASELINE)).isEmpty();
  }

  private static List<String> check(Consumer<PodTemplateSpec> change, PodPolicy policy) {
    return PodPolicyCheck.violations(NAMESPACE, PROJECT, harden(change, policy), policy);
  }

  private static PodTemplateSpec harden(Consumer<PodTemplateSpec> change, PodPolicy policy) {
    return PodPolicyCheck.harden(mutated(change), policy);
  }

  private static PodTemplateSpec mutated(Consumer<PodTemplateSpec> change) {
    PodTemplateSpec template = template();
    change.accept(template);
    return template;
  }

  private static Arguments violation(
      String name, Consumer<PodTemplateSpec> change, String expected) {
    return Arguments.of(Named.of(name, change), expected);
  }

  private static Arguments allowed(String name, Consumer<PodTemplateSpec> change) {
    return Arguments.of(Named.of(name, change));
  }

  private static PodPolicy withLevel(Level level) {
    PodPolicy defaults = PodPolicy.defaults();
    return new PodPolicy(
        level, defaults.deniedNamespaces(), defaults.protectedSecrets(), defaults.serviceAccount());
  }

  /** The main container's security context, created empty (with empty capabilities) if unset. */
  private static SecurityContext security(PodTemplateSpec template) {
    Container main = main(template);
    if (main.getSecurityContext() == null) {
      main.setSecurityContext(new SecurityContext());
    }
    if (main.getSecurityContext().getCapabilities() == null) {
      main.getSecurityContext().setCapabilities(new Capabilities());
    }
    return main.getSecurityContext();
  }

  private static PodSecurityContext podSecurity(PodTemplateSpec template) {
    PodSpec spec = template.getSpec();
    if (spec.getSecurityContext() == null) {
      spec.setSecurityContext(new PodSecurityContext());
    }
    return spec.getSecurityContext();
  }

  private static Container main(PodTemplateSpec template) {
    return template.getSpec().getContainers().get(0);
  }

  private static VolumeBuilder volume() {
    return new VolumeBuilder().withName("v");
  }

  private static Container container(String name) {
    return Serialization.clone(
        new ContainerBuilder().withName(name).withImage("ghcr.io/example/report:1.2").build());
  }

  /** Through JSON, as the reconciler gets it: absent lists and maps are empty, not null. */
  private static PodTemplateSpec template() {
    return Serialization.clone(
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .addToLabels("app", "report")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withContainers(container("main"))
            .endSpec()
            .build());
  }

  private static PodTemplateSpec templateWithExtras() {
    PodTemplateSpec template = template();
    template.getSpec().getInitContainers().add(container("init"));
    template
        .getSpec()
        .getEphemeralContainers()
        .add(new EphemeralContainerBuilder().withName("debug").withImage("busybox").build());
    return template;
  }
}
