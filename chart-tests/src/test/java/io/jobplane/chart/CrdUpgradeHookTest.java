package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.jobplane.chart.RbacTest.Grant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * crds.upgradeJob: Helm never upgrades crds/, so a pre-upgrade hook Job runs {@code jobplane crds
 * apply} with a ServiceAccount that may touch CRDs and nothing else.
 */
class CrdUpgradeHookTest {

  private static final String NAME = "jobplane-crds";

  @Test
  void offByDefault() {
    Manifests manifests = HelmChart.render(ValueSet.DEFAULTS);

    assertThat(manifests.all(Job.class)).isEmpty();
    assertThat(manifests.all(ClusterRole.class)).isEmpty();
    assertThat(manifests.all(ServiceAccount.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(NAME);
  }

  @Test
  void onItIsAPreUpgradeJobRunningCrdsApplyFromTheChartsImage() {
    Manifests manifests = HelmChart.render(ValueSet.CLOUDNATIVEPG);
    Job job = manifests.named(Job.class, NAME);

    assertHook(job, "0");
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(NAME);
    assertThat(pod.getAutomountServiceAccountToken()).isTrue();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getArgs()).containsExactly("crds", "apply");
              assertThat(c.getCommand()).as("the image's entrypoint").isNullOrEmpty();
              assertThat(c.getImage())
                  .isEqualTo(Args.container(manifests.deployment("operator")).getImage());
            });
    PodSecurityTest.assertRestricted(pod);
    assertThat(job.getSpec().getBackoffLimit()).isPositive();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isPositive();
  }

  @Test
  void itsServiceAccountMayOnlyCreateCrdsAndReadAndUpdateJobplanesOwn() {
    Manifests manifests = HelmChart.render(ValueSet.CLOUDNATIVEPG);
    ClusterRole role = manifests.named(ClusterRole.class, NAME);
    ClusterRoleBinding binding = manifests.named(ClusterRoleBinding.class, NAME);
    ServiceAccount account = manifests.named(ServiceAccount.class, NAME);

    String group = "apiextensions.k8s.io";
    String crds = "customresourcedefinitions";
    assertThat(RbacTest.grants(role.getRules()))
        .containsExactlyInAnyOrder(
            new Grant(group, crds, "create"),
            new Grant(group, crds, "get", "jobs.jobplane.io"),
            new Grant(group, crds, "get", "jobschedules.jobplane.io"),
            new Grant(group, crds, "update", "jobs.jobplane.io"),
            new Grant(group, crds, "update", "jobschedules.jobplane.io"));
    assertThat(binding.getRoleRef().getName()).isEqualTo(NAME);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(NAME);
              assertThat(s.getNamespace()).isEqualTo(HelmChart.NAMESPACE);
            });
    for (HasMetadata object : List.of(role, binding, account)) {
      assertHook(object, "-10");
    }
  }

  @Test
  void theRestOfTheChartIsTheSameWithTheHookOnOrOff() {
    Manifests off = HelmChart.render(ValueSet.DEFAULTS);
    Manifests on = HelmChart.render(ValueSet.DEFAULTS, Map.of("crds.upgradeJob.enabled", true));

    assertThat(on.objects().stream().filter(o -> !isHook(o, "pre-upgrade")).toList())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactlyElementsOf(
            off.objects().stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                .toList());
    assertThat(on.objects().stream().filter(o -> isHook(o, "pre-upgrade")))
        .extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Job");
  }

  private static void assertHook(HasMetadata object, String weight) {
    assertThat(object.getMetadata().getAnnotations())
        .as("%s %s", object.getKind(), object.getMetadata().getName())
        .containsEntry("helm.sh/hook", "pre-upgrade")
        .containsEntry("helm.sh/hook-weight", weight)
        .containsEntry("helm.sh/hook-delete-policy", "before-hook-creation,hook-succeeded");
  }

  private static boolean isHook(HasMetadata object, String hook) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations != null && hook.equals(annotations.get("helm.sh/hook"));
  }
}
