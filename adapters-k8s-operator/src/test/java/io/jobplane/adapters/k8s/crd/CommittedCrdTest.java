package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The build fails when charts/jobplane/crds holds a CRD other than the one the model generates. */
class CommittedCrdTest {

  @ParameterizedTest
  @ValueSource(strings = {"jobs.jobplane.io-v1.yml", "jobschedules.jobplane.io-v1.yml"})
  void committedChartCrdEqualsTheGeneratedOne(String fileName) throws IOException {
    assertThat(List.of(GeneratedCrd.FILE_NAME, GeneratedCrd.SCHEDULES_FILE_NAME))
        .contains(fileName);
    String refresh =
        "refresh it from the repository root with: cp"
            + " adapters-k8s-operator/target/classes/META-INF/fabric8/"
            + fileName
            + " charts/jobplane/crds/";
    assertThat(GeneratedCrd.generated(fileName))
        .as("crd-generator-maven-plugin runs in process-classes")
        .exists();
    assertThat(GeneratedCrd.committed(fileName))
        .as("the chart's CRD is missing; " + refresh)
        .exists();
    List<String> generated = Files.readAllLines(GeneratedCrd.generated(fileName));
    List<String> committed = Files.readAllLines(GeneratedCrd.committed(fileName));
    int lines = Math.min(generated.size(), committed.size());
    for (int i = 0; i < lines; i++) {
      if (!generated.get(i).equals(committed.get(i))) {
        fail(
            differs(
                fileName,
                refresh,
                "line %d is '%s', generated '%s'",
                i + 1,
                committed.get(i),
                generated.get(i)));
      }
    }
    if (generated.size() != committed.size()) {
      fail(
          differs(
              fileName,
              refresh,
              "it has %d lines, generated %d",
              committed.size(),
              generated.size()));
    }
  }

  private static String differs(String fileName, String refresh, String detail, Object... args) {
    return "charts/jobplane/crds/"
        + fileName
        + " differs from the CRD generated from the model classes ("
        + String.format(detail, args)
        + "); "
        + refresh;
  }
}
