package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.ProjectLimits.QueueLimits;
import io.jobplane.domain.ProjectLimits.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProjectLimitsTest {

  private static ProjectLimits limits(Integer running, Long queued, Map<String, QueueLimits> q) {
    return new ProjectLimits(running, queued, 1, q);
  }

  @Test
  void noLimitsAndWeightOneIsTheSameAsNoDocument() {
    assertThat(ProjectLimits.NONE.isEmpty()).isTrue();
    assertThat(limits(null, null, Map.of("gpu", new QueueLimits(null, null))).isEmpty()).isTrue();
    assertThat(new ProjectLimits(null, null, 2, Map.of()).isEmpty()).isFalse();
  }

  @Test
  void everyBoundIsCheckedAndEachOffendingFieldNamed() {
    assertThatThrownBy(() -> new ProjectLimits(-1, ProjectLimits.MAX_QUEUED + 1, 0, Map.of()))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT);
              assertThat(e.errors())
                  .extracting(DomainException.FieldError::field)
                  .containsExactly("max_running", "max_queued", "weight");
            });
    assertThatThrownBy(() -> ProjectLimits.queue("gpu", ProjectLimits.MAX_RUNNING + 1, null))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DomainException.FieldError::field)
                    .containsExactly("queues.gpu.max_running"));
    assertThatThrownBy(() -> limits(1, null, Map.of("No Spaces", new QueueLimits(1, null))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("queues.No Spaces");
  }

  @Test
  void theProjectsRunningLimitIsCheckedBeforeTheQueues() {
    ProjectLimits l = limits(3, null, Map.of("gpu", new QueueLimits(1, null)));
    assertThat(l.runningLimitReached("gpu", 3, 1).orElseThrow().scope()).isEqualTo(Scope.PROJECT);
    assertThat(l.runningLimitReached("gpu", 2, 1).orElseThrow().scope()).isEqualTo(Scope.QUEUE);
    assertThat(l.runningLimitReached("gpu", 2, 0)).isEmpty();
    assertThat(l.runningLimitReached("cpu", 2, 5)).isEmpty();
    assertThat(limits(0, null, Map.of()).runningLimitReached("cpu", 0, 0)).isPresent();
  }

  @Test
  void aSubmitIsAdmittedUpToMaxQueuedAndRefusedWith429Past() {
    ProjectLimits l = limits(null, 10L, Map.of("gpu", new QueueLimits(null, 2L)));
    l.admitQueued("etl", "gpu", 9, 1);
    l.admitQueued("etl", "cpu", 9, 99);
    assertThatThrownBy(() -> l.admitQueued("etl", "cpu", 10, 0))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.TOO_MANY_REQUESTS))
        .hasMessageContaining("project 'etl' holds 10 waiting jobs, its max_queued is 10");
    assertThatThrownBy(() -> l.admitQueued("etl", "gpu", 3, 2))
        .hasMessageContaining("queue 'gpu' of project 'etl'");
  }

  @Test
  void limitsTellWhichKindsTheyHold() {
    ProjectLimits running = limits(null, null, Map.of("gpu", new QueueLimits(1, null)));
    assertThat(running.limitsRunning()).isTrue();
    assertThat(running.limitsQueued()).isFalse();
    assertThat(limits(null, 5L, Map.of()).limitsQueued()).isTrue();
  }

  @Test
  void limitsBuiltByNameDefaultToNoLimitAndWeightOne() {
    assertThat(ProjectLimits.builder().build()).isEqualTo(ProjectLimits.NONE);
    assertThat(ProjectLimits.NONE.weight()).isEqualTo(1);
    ProjectLimits gpu =
        ProjectLimits.builder().maxRunning(4).queue("gpu", new QueueLimits(1, 10L)).build();
    assertThat(gpu)
        .isEqualTo(new ProjectLimits(4, null, 1, Map.of("gpu", new QueueLimits(1, 10L))));
    assertThat(gpu.queue("cpu")).isEqualTo(QueueLimits.UNLIMITED);
    assertThatThrownBy(() -> ProjectLimits.builder().weight(0).build())
        .hasMessageContaining("weight");
  }
}
