package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.QueueWait.Reason;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPlacementTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @Test
  void aSelectorAdmitsOnlyWorkersWhoseLabelsMatch() {
    WorkerPlacement p = WorkerPlacement.selecting(" zone=eu,gpu,!spot ");
    assertThat(p.workerSelector()).isEqualTo("zone=eu,gpu,!spot");
    assertThat(p.admits(new Labels(Map.of("zone", "eu", "gpu", "a100")))).isTrue();
    assertThat(p.admits(new Labels(Map.of("zone", "eu", "gpu", "a100", "spot", "")))).isFalse();
    assertThat(p.admits(new Labels(Map.of("zone", "us", "gpu", "a100")))).isFalse();
    assertThat(p.admits(Labels.EMPTY)).isFalse();
    assertThat(WorkerPlacement.broadcast(null, false).admits(Labels.EMPTY)).isTrue();
  }

  @Test
  void aMalformedSelectorIsRefusedNamingWorkerSelector() {
    assertThatThrownBy(() -> WorkerPlacement.selecting("zone=a b"))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("worker_selector"));
    assertThatThrownBy(() -> WorkerPlacement.selecting("")).isInstanceOf(DomainException.class);
  }

  @Test
  void lateJoinersAreOnlyForBroadcasts() {
    assertThatThrownBy(() -> new WorkerPlacement(WorkerPlacement.Mode.ANY, "a=b", true))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("placement.include_late_joiners"));
    assertThat(WorkerPlacement.broadcast("a=b", true).includeLateJoiners()).isTrue();
  }

  @Test
  void aKubernetesJobCannotBePlacedOnWorkers() {
    assertThatThrownBy(
            () ->
                JobDefinition.builder()
                    .name("n")
                    .type("t")
                    .runtime(JobRuntime.KUBERNETES)
                    .kubernetes(new KubernetesPlacement("ns", null, "{}", Map.of()))
                    .placement(WorkerPlacement.selecting("a=b"))
                    .build())
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.errors().get(0).field()).isEqualTo("worker_selector"));
  }

  @Test
  void activeWorkersWithoutAMatchLeaveTheJobWithNoMatchingWorker() {
    QueueWait next = QueueWait.decide("gpu", 0, 2, NOW, NOW);
    QueueWait none = QueueWait.forSelector(next, "gpu=a100", 0);
    assertThat(none.reason()).isEqualTo(Reason.NO_MATCHING_WORKER);
    assertThat(none.position()).isEqualTo(1);
    assertThat(none.activeWorkers()).isEqualTo(2);
    assertThat(none.message()).contains("'gpu=a100'").contains("2 workers poll it");

    assertThat(QueueWait.forSelector(next, "gpu=a100", 1)).isEqualTo(next);
    QueueWait nobody = QueueWait.decide("gpu", 0, 0, NOW, NOW);
    assertThat(QueueWait.forSelector(nobody, "gpu=a100", 0)).isEqualTo(nobody);
  }
}
