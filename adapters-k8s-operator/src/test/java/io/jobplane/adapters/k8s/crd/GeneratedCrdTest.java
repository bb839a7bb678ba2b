package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema checks that make {@code kubectl apply} reject a bad spec, asserted on the generated
 * CRD: no API server runs in the build, and the mock server does not enforce schemas ({@link
 * JobResourceMockServerTest#mockServerDoesNotEnforceTheCrdSchema}).
 */
class GeneratedCrdTest {

  private static CustomResourceDefinition crd;
  private static CustomResourceDefinitionVersion v1;
  private static JSONSchemaProps spec;
  private static JSONSchemaProps status;

  @BeforeAll
  static void load() {
    crd = GeneratedCrd.load();
    v1 = crd.getSpec().getVersions().get(0);
    JSONSchemaProps root = v1.getSchema().getOpenAPIV3Schema();
    spec = root.getProperties().get("spec");
    status = root.getProperties().get("status");
  }

  @Test
  void namesAndScope() {
    assertThat(crd.getMetadata().getName()).isEqualTo("jobs.jobplane.io");
    assertThat(crd.getSpec().getGroup()).isEqualTo("jobplane.io");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("Job");
    assertThat(crd.getSpec().getNames().getPlural()).isEqualTo("jobs");
    assertThat(crd.getSpec().getNames().getSingular()).isEqualTo("job");
    assertThat(crd.getSpec().getNames().getShortNames())
        .containsExactly("pj")
        .as("batch/v1 Jobs own 'job' and 'jobs'; no short name of theirs")
        .doesNotContain("job", "jobs");
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    assertThat(v1.getName()).isEqualTo("v1");
    assertThat(v1.getServed()).isTrue();
    assertThat(v1.getStorage()).isTrue();
  }

  @Test
  void statusIsASubresource() {
    assertThat(v1.getSubresources().getStatus()).isNotNull();
    assertThat(v1.getSubresources().getScale()).isNull();
  }

  @Test
  void printerColumnsShowPhaseProgressRunAttemptAndAgeAndWideAddsDurationAndMessage() {
    assertThat(v1.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName,
            CustomResourceColumnDefinition::getJsonPath,
            CustomResourceColumnDefinition::getType,
            CustomResourceColumnDefinition::getPriority)
        .containsExactlyInAnyOrder(
            tuple("Phase", ".status.phase", "string", 0),
            tuple("Progress", ".status.progress", "number", 0),
            tuple("Run", ".status.runId", "integer", 0),
            tuple("Attempt", ".status.attempt", "integer", 0),
            tuple("Age", ".metadata.creationTimestamp", "date", 0),
            tuple("Duration", ".status.duration", "string", 1),
            tuple("Message", ".status.message", "string", 1));
    assertThat(v1.getAdditionalPrinterColumns())
        .as("every column reads a field the schema has")
        .filteredOn(c -> c.getJsonPath().startsWith(".status."))
        .allSatisfy(
            c ->
                assertThat(status.getProperties())
                    .containsKey(c.getJsonPath().substring(".status.".length())));
  }

  @Test
  void specRequiresTypeAndPodTemplate() {
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("type", "podTemplate");
    JSONSchemaProps podTemplate = spec.getProperties().get("podTemplate");
    assertThat(podTemplate.getType()).isEqualTo("object");
    assertThat(podTemplate.getProperties()).containsKeys("metadata", "spec");
    assertThat(podTemplate.getProperties().get("spec").getProperties())
        .containsKeys("containers", "restartPolicy");
  }

  @Test
  void specRangesPatternsDefaultsAndEnums() {
    assertRange("parallelism", 1, 1000);
    assertRange("completions", 1, 1000);
    assertRange("maxAttempts", 1, 100);
    assertRange("timeoutSeconds", 1, 31 * 24 * 3600);
    assertThat(spec.getProperties())
        .as("retries within a run follow Kubernetes' own pod backoff; no field pretends otherwise")
        .doesNotContainKey("backoffSeconds");
    assertThat(prop("fromCheckpoint").getMaxLength()).as("the domain's limit").isEqualTo(200L);
    assertThat(prop("ttlSecondsAfterFinished").getMinimum()).isEqualTo(0.0);
    assertThat(prop("parallelism").getDefault().asInt()).isEqualTo(1);
    assertThat(prop("maxAttempts").getDefault().asInt()).isEqualTo(1);
    assertThat(prop("suspend").getDefault().asBoolean()).isFalse();
    assertThat(prop("project").getDefault().asText()).isEqualTo("default");
    assertThat(prop("type").getPattern()).isEqualTo(JobSpec.IDENTIFIER);
    assertThat(prop("project").getPattern()).isEqualTo(JobSpec.IDENTIFIER);
    assertThat(prop("labels").getMaxProperties()).isEqualTo(64L);
    assertThat(prop("desiredState").getEnum())
        .extracting(node -> node.asText())
        .containsExactlyInAnyOrder("RUNNING", "STOPPED");
    assertThat(prop("desiredState").getDefault().asText()).isEqualTo("RUNNING");
    assertThat(prop("input").getXKubernetesPreserveUnknownFields()).isTrue();
  }

  @Test
  void specCelRules() {
    assertThat(spec.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactlyInAnyOrder(
            "!has(self.completions) || !has(self.parallelism)"
                + " || self.completions >= self.parallelism",
            "!has(self.fromCheckpoint) || has(self.restartNonce)");
    assertThat(prop("type").getXKubernetesValidations())
        .extracting(ValidationRule::getRule, ValidationRule::getMessage)
        .containsExactly(tuple("self == oldSelf", "type is immutable"));
    assertThat(prop("project").getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .containsExactly("self == oldSelf");
  }

  @Test
  void statusPhaseIsTheLifecycleAndConditionsFollowKubernetesConventions() {
    assertThat(status.getProperties())
        .containsKeys(
            "phase",
            "jobId",
            "runId",
            "attempt",
            "progress",
            "startTime",
            "completionTime",
            "observedGeneration",
            "conditions",
            "message");
    assertThat(status.getProperties().get("phase").getEnum())
        .extracting(node -> node.asText())
        .containsExactlyInAnyOrder(
            Arrays.stream(JobPhase.values()).map(Enum::name).toArray(String[]::new));
    JSONSchemaProps condition = status.getProperties().get("conditions").getItems().getSchema();
    assertThat(condition.getRequired())
        .containsExactlyInAnyOrder("type", "status", "lastTransitionTime");
    assertThat(condition.getProperties())
        .containsKeys("type", "status", "reason", "message", "lastTransitionTime");
    assertThat(condition.getProperties().get("status").getEnum())
        .extracting(node -> node.asText())
        .containsExactlyInAnyOrder("True", "False", "Unknown");
  }

  private static JSONSchemaProps prop(String name) {
    assertThat(spec.getProperties()).containsKey(name);
    return spec.getProperties().get(name);
  }

  private static void assertRange(String name, double min, double max) {
    assertThat(prop(name).getType()).as(name).isEqualTo("integer");
    assertThat(prop(name).getMinimum()).as(name + " minimum").isEqualTo(min);
    assertThat(prop(name).getMaximum()).as(name + " maximum").isEqualTo(max);
  }
}
