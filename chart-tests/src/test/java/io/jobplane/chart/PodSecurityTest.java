package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pod of the chart meets the Kubernetes "restricted" Pod Security Standard. */
class PodSecurityTest {

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void everyPodMeetsTheRestrictedStandard(ValueSet values) {
    List<PodSpec> pods = HelmChart.render(values).podSpecs();

    assertThat(pods).hasSize(2).allSatisfy(PodSecurityTest::assertRestricted);
  }

  @Test
  void leavingTheUserToThePlatformStillRequiresANonRootUser() {
    List<PodSpec> pods =
        HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of(
                    "podSecurityContext.runAsUser", "null",
                    "podSecurityContext.runAsGroup", "null",
                    "podSecurityContext.fsGroup", "null"))
            .podSpecs();

    assertThat(pods)
        .allSatisfy(
            pod -> {
              assertRestricted(pod);
              assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
            });
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void theReadOnlyRootFilesystemLeavesOnlyTmpWritable(ValueSet values) {
    for (PodSpec pod : HelmChart.render(values).podSpecs()) {
      for (VolumeMount mount : pod.getContainers().get(0).getVolumeMounts()) {
        if (!Boolean.TRUE.equals(mount.getReadOnly())) {
          assertThat(mount.getMountPath()).isEqualTo("/tmp");
          assertThat(volume(pod, mount.getName()).getEmptyDir()).isNotNull();
        }
      }
    }
  }

  static void assertRestricted(PodSpec pod) {
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    if (podContext.getRunAsUser() != null) {
      assertThat(podContext.getRunAsUser()).isPositive();
    }
    assertThat(pod.getVolumes())
        .allSatisfy(
            v -> {
              assertThat(v.getHostPath()).as("hostPath volume %s", v.getName()).isNull();
              assertThat(v.getSecret() != null || v.getEmptyDir() != null)
                  .as("volume %s is a Secret or an emptyDir", v.getName())
                  .isTrue();
            });
    Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
        .forEach(PodSecurityTest::assertRestricted);
  }

  private static void assertRestricted(Container container) {
    SecurityContext context = container.getSecurityContext();
    assertThat(context.getPrivileged()).isFalse();
    assertThat(context.getAllowPrivilegeEscalation()).isFalse();
    assertThat(context.getReadOnlyRootFilesystem()).isTrue();
    assertThat(context.getRunAsNonRoot()).isTrue();
    assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getPorts())
        .allSatisfy(p -> assertThat(p.getHostPort()).as("hostPort").isNull());
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }
}
