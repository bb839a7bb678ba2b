package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What {@code helm install} prints works: the token command, the address, the first Job. */
class NotesTest {

  private static final Pattern TOKEN_COMMAND =
      Pattern.compile(
          "kubectl -n (\\S+) get secret (\\S+) -o jsonpath='\\{\\.data\\.([a-z-]+)\\}' \\| base64 -d");

  @Test
  void theTokenCommandReadsTheGeneratedAdminTokenSecret() {
    Matcher command = TOKEN_COMMAND.matcher(HelmChart.notes(ValueSet.DEFAULTS));
    assertThat(command.find()).isTrue();

    Secret tokens = HelmChart.render(ValueSet.DEFAULTS).named(Secret.class, command.group(2));
    assertThat(command.group(1)).isEqualTo(HelmChart.NAMESPACE);
    assertThat(tokens.getData()).containsKey(command.group(3));
    assertThat(command.group(3)).isEqualTo("admin-token");
  }

  @Test
  void withExistingTokensTheNotesPointToThatSecretInstead() {
    String notes = HelmChart.notes(ValueSet.EXTERNAL_DB);

    assertThat(TOKEN_COMMAND.matcher(notes).find()).isFalse();
    assertThat(notes).contains("Secret jobplane-api-tokens (key tokens.json)", "create-token");
    assertThat(notes).contains("jdbc:postgresql://pg.db.svc.cluster.local:5432/jobplane_prod");
  }

  @Test
  void theNotesNameHelmTestAndHowTheCrdsAreUpgraded() {
    String defaults = HelmChart.notes(ValueSet.DEFAULTS);
    assertThat(defaults)
        .contains("helm test jobplane -n jobplane-system", "Apply the new version's CRDs first")
        .contains("`jobplane crds apply`");

    assertThat(HelmChart.notes(ValueSet.CLOUDNATIVEPG))
        .contains("The pre-upgrade hook Job jobplane-crds applies the new image's CRDs");
  }

  @Test
  void withAnIngressTheNotesGiveItsAddress() {
    assertThat(HelmChart.notes(ValueSet.INGRESS)).contains("https://jobplane.example.com/");
  }

  @ParameterizedTest
  @MethodSource("io.jobplane.chart.ValueSet#all")
  void theFirstJobIsARestrictedJobResourceForAWatchedNamespace(ValueSet values) {
    String notes = HelmChart.notes(values);
    GenericKubernetesResource job = Notes.firstJob(notes);

    assertThat(job.getApiVersion()).isEqualTo("jobplane.io/v1");
    assertThat(job.getKind()).isEqualTo("Job");
    assertThat(job.<String>get("spec", "type")).isNotBlank();
    PodTemplateSpec template =
        Manifests.SERIALIZATION.convertValue(
            job.<Object>get("spec", "podTemplate"), PodTemplateSpec.class);
    assertThat(UnknownFields.in(template)).isEmpty();
    assertMeetsRestricted(template.getSpec());
    String namespace = Notes.applyNamespace(notes);
    assertThat(namespace).isNotEqualTo(HelmChart.NAMESPACE);
    if (values == ValueSet.NAMESPACED) {
      assertThat(namespace).isEqualTo("team-a");
    }
  }

  /** What the operator's default {@code --pod-security restricted} asks of a job's pod. */
  private static void assertMeetsRestricted(PodSpec pod) {
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    for (Container container : pod.getContainers()) {
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
  }
}
