package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code helm test}: a Pod that checks /readyz, then submits a job and reads it back. */
class HelmTestHookTest {

  private static final String POD = "jobplane-test";

  @Test
  void theTestPodIsAHelmTestHookThatIsDeletedOnceItSucceeds() {
    Pod pod = HelmChart.render(ValueSet.DEFAULTS).named(Pod.class, POD);

    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry("helm.sh/hook", "test")
        .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
    assertThat(pod.getMetadata().getNamespace()).isEqualTo(HelmChart.NAMESPACE);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    PodSecurityTest.assertRestricted(pod.getSpec());
  }

  @Test
  void itRunsTheChartsScriptWithCurlAgainstTheApiService() throws Exception {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);
    Container container = container(manifests);

    assertThat(container.getImage()).isEqualTo("curlimages/curl:8.10.1");
    assertThat(container.getCommand()).containsExactly("/bin/sh", "-c");
    assertThat(container.getArgs())
        .containsExactly(Files.readString(HelmChart.DIRECTORY.resolve("files/api-test.sh")));
    assertThat(container.getArgs().get(0))
        .contains("/readyz", "POST /api/v1/jobs", "\"suspend\":true", "-H @-");
    assertThat(env(container, "JOBPLANE_URL").getValue())
        .isEqualTo("http://jobplane-api.jobplane-system.svc:8080");
    assertThat(env(container, "JOBPLANE_PROJECT").getValue()).isEqualTo("default");
    assertThat(manifests.named(Deployment.class, "jobplane-api").getMetadata().getName())
        .as("the Service of JOBPLANE_URL fronts this Deployment")
        .isEqualTo("jobplane-api");
  }

  @Test
  void withGeneratedTokensItPresentsTheAdminTokenFromTheSecretNeverAsAValue() {
    Container container = container(HelmChart.render(ValueSet.DEFAULTS));

    EnvVar token = env(container, "JOBPLANE_TOKEN");
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef())
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("jobplane-tokens", "admin-token");
  }

  @Test
  void withExistingTokensItPresentsTheTokenOfTestsTokenSecretWhichJobsMayNotMount() {
    Manifests manifests = HelmChart.render(ValueSet.EXTERNAL_DB);
    Container container = container(manifests);

    assertThat(env(container, "JOBPLANE_TOKEN").getValueFrom().getSecretKeyRef())
        .extracting(SecretKeySelector::getName, SecretKeySelector::getKey)
        .containsExactly("jobplane-smoke-test-token", "token");
    assertThat(env(container, "JOBPLANE_PROJECT").getValue()).isEqualTo("smoke-tests");
    assertThat(Args.value(manifests.deployment("operator"), "--protected-secrets").split(","))
        .contains("jobplane-smoke-test-token");
  }

  @Test
  void withExistingTokensAndNoTestTokenThereIsNoTestPod() {
    assertThat(
            HelmChart.render(ValueSet.EXTERNAL_DB, Map.of("tests.tokenSecret.name", ""))
                .all(Pod.class))
        .isEmpty();
    assertThat(HelmChart.render(ValueSet.DEFAULTS, Map.of("tests.enabled", false)).all(Pod.class))
        .isEmpty();
  }

  @Test
  void theImageIsAValue() {
    Container container =
        container(
            HelmChart.render(
                ValueSet.DEFAULTS,
                Map.of(
                    "tests.image.repository", "registry.example.com/curl",
                    "tests.image.tag", "8.11.0")));

    assertThat(container.getImage()).isEqualTo("registry.example.com/curl:8.11.0");
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void everyTestPodMeetsTheRestrictedStandard(ValueSet values) {
    for (Pod pod : HelmChart.render(values).all(Pod.class)) {
      PodSecurityTest.assertRestricted(pod.getSpec());
      assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).isNullOrEmpty();
    }
  }

  private static Container container(Manifests manifests) {
    Pod pod = manifests.named(Pod.class, POD);
    assertThat(pod.getSpec().getContainers()).hasSize(1);
    return pod.getSpec().getContainers().get(0);
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }
}
