package io.jobplane.adapters.k8s.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.domain.JobStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JobPhaseTest {

  @Test
  void phaseHasTheSameNamesAsTheDomainJobStatus() {
    assertThat(Arrays.stream(JobPhase.values()).map(Enum::name))
        .containsExactlyElementsOf(Arrays.stream(JobStatus.values()).map(Enum::name).toList());
  }
}
