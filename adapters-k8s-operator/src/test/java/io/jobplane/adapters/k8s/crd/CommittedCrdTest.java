package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The build fails when charts/jobplane/crds holds a CRD other than the one the model generates. */
class CommittedCrdTest {

  private static final String REFRESH =
      "refresh it from the repository root with: cp"
          + " adapters-k8s-operator/target/classes/META-INF/fabric8/"
          + GeneratedCrd.FILE_NAME
          + " charts/jobplane/crds/";

  @Test
  void committedChartCrdEqualsTheGeneratedOne() throws IOException {
    assertThat(GeneratedCrd.generated())
        .as("crd-generator-maven-plugin runs in process-classes")
        .exists();
    assertThat(GeneratedCrd.committed()).as("the chart's CRD is missing; " + REFRESH).exists();
    List<String> generated = Files.readAllLines(GeneratedCrd.generated());
    List<String> committed = Files.readAllLines(GeneratedCrd.committed());
    int lines = Math.min(generated.size(), committed.size());
    for (int i = 0; i < lines; i++) {
      if (!generated.get(i).equals(committed.get(i))) {
        fail(differs("line %d is '%s', generated '%s'", i + 1, committed.get(i), generated.get(i)));
      }
    }
    if (generated.size() != committed.size()) {
      fail(differs("it has %d lines, generated %d", committed.size(), generated.size()));
    }
  }

  private static String differs(String detail, Object... args) {
    return "charts/jobplane/crds/"
        + GeneratedCrd.FILE_NAME
        + " differs from the CRD generated from the model classes ("
        + String.format(detail, args)
        + "); "
        + REFRESH;
  }
}
