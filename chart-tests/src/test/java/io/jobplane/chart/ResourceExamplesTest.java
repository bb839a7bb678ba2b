package io.jobplane.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.chart.ResourceExamples.Example;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code jobplane.io} resource the docs and the chart show is one a real API server accepts:
 * the mock API server the other tests use enforces no schema, which is how {@code desiredState:
 * stopped} (the enum is {@code RUNNING|STOPPED}) once reached the README.
 */
class ResourceExamplesTest {

  private static CrdValidator crd;
  private static Map<String, CrdValidator> byKind;

  @BeforeAll
  static void loadCrd() {
    crd = CrdValidator.load();
    CrdValidator schedules = CrdValidator.load(CrdValidator.SCHEDULES_CRD);
    byKind = Map.of(crd.kind(), crd, schedules.kind(), schedules);
  }

  static List<Example> examples() {
    return ResourceExamples.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyResourceInTheDocsAndTheChartIsAcceptedByTheCrd(Example example) {
    String kind = example.resource().path("kind").asText();
    assertThat(byKind).as(example.source() + ": a kind of the chart's CRDs").containsKey(kind);
    assertThat(byKind.get(kind).problems(example.resource())).as(example.source()).isEmpty();
  }

  @Test
  void theReadmeShowsAJobScheduleThatItsCrdAccepts() {
    assertThat(examples())
        .anyMatch(
            e ->
                e.source().startsWith("README.md:")
                    && e.resource().path("kind").asText().equals("JobSchedule"));
  }

  @Test
  void aJobScheduleWithACronJobsLowerCasePolicyOrAJobTemplateWithoutSpecIsRefused() {
    CrdValidator schedules = byKind.get("JobSchedule");
    ObjectNode resource = ResourceExamples.aJobSchedule();
    assertThat(schedules.problems(resource)).isEmpty();

    resource.withObjectProperty("spec").put("concurrencyPolicy", "forbid");
    assertThat(schedules.problems(resource))
        .singleElement()
        .asString()
        .contains("/spec/concurrencyPolicy", "enum");

    ObjectNode noTemplate = ResourceExamples.aJobSchedule();
    noTemplate.withObjectProperty("spec").withObjectProperty("jobTemplate").remove("spec");
    assertThat(schedules.problems(noTemplate)).isNotEmpty();
  }

  @Test
  void theExamplesIncludeTheReadmeAndKubernetesManifestsTheInlineSettingsAndTheChartNotes() {
    List<String> sources = examples().stream().map(Example::source).toList();

    assertThat(sources).anyMatch(s -> s.startsWith("README.md:") && !s.contains("`"));
    assertThat(sources).anyMatch(s -> s.startsWith("README.md:") && s.contains("`spec."));
    assertThat(sources).anyMatch(s -> s.startsWith("docs/architecture.md:"));
    assertThat(sources).anyMatch(s -> s.startsWith("docs/kubernetes.md:"));
    assertThat(sources).anyMatch(s -> s.startsWith("charts/jobplane/templates/NOTES.txt"));
  }

  @Test
  void aLowerCaseDesiredStateIsRefused() {
    assertThat(crd.problems(ResourceExamples.withSpec("desiredState", "stopped")))
        .singleElement()
        .asString()
        .contains("/spec/desiredState", "enum");
    assertThat(crd.problems(ResourceExamples.withSpec("desiredState", "STOPPED"))).isEmpty();
  }

  @Test
  void aLowerCaseDesiredStateInAFencedBlockOrInlineIsFoundAndRefused() {
    String markdown =
        """
        Stop it with `spec.desiredState: stopped`, or apply:

        ```yaml
        apiVersion: jobplane.io/v1
        kind: Job
        metadata: {name: nightly}
        spec:
          type: report
          desiredState: stopped
          podTemplate: {spec: {containers: [{name: main, image: busybox}]}}
        ```
        """;

    List<Example> found = ResourceExamples.fromMarkdown("doc.md", markdown);

    assertThat(found)
        .extracting(Example::source)
        .containsExactly("doc.md:1 `spec.desiredState: stopped`", "doc.md:3");
    assertThat(found).allSatisfy(e -> assertThat(crd.problems(e.resource())).isNotEmpty());
  }

  @Test
  void completionsBelowParallelismIsRefusedByTheCelRule() {
    ObjectNode resource = (ObjectNode) ResourceExamples.withSpec("parallelism", "4");
    resource.withObjectProperty("spec").put("completions", 2);

    assertThat(crd.problems(resource))
        .singleElement()
        .asString()
        .contains("rule at .spec", "completions must be at least parallelism");
  }

  @Test
  void aCheckpointWithoutARestartIsRefusedByTheCelRule() {
    assertThat(crd.problems(ResourceExamples.withSpec("fromCheckpoint", "chk-3")))
        .singleElement()
        .asString()
        .contains("set restartNonce too");
  }

  @Test
  void aMisspeltFieldIsRefusedAsStrictFieldValidationWould() {
    assertThat(crd.problems(ResourceExamples.withSpec("paralellism", "2")))
        .singleElement()
        .asString()
        .contains("paralellism");
    assertThat(crd.problems(ResourceExamples.withSpec("input", "{anything: [1, 2]}"))).isEmpty();
  }
}
