package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.QueueWait.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueWaitTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  @Test
  void no_worker_when_nobody_polled_the_queue_even_in_backoff_or_first_in_line() {
    QueueWait first = QueueWait.decide("gpu", 0, 0, NOW, NOW);
    assertThat(first.reason()).isEqualTo(Reason.NO_WORKER);
    assertThat(first.position()).isEqualTo(1);
    assertThat(first.until()).isNull();
    assertThat(first.activeWorkers()).isZero();
    assertThat(first.message()).isEqualTo("no worker has polled queue 'gpu' in the last 30 s");

    assertThat(QueueWait.decide("gpu", 4, 0, NOW.plusSeconds(60), NOW).reason())
        .isEqualTo(Reason.NO_WORKER);
  }

  @Test
  void backoff_until_the_earliest_available_at_when_workers_poll() {
    Instant later = NOW.plusSeconds(8);
    QueueWait wait = QueueWait.decide("default", 0, 2, later, NOW);
    assertThat(wait.reason()).isEqualTo(Reason.BACKOFF);
    assertThat(wait.until()).isEqualTo(later);
    assertThat(wait.activeWorkers()).isEqualTo(2);
    assertThat(wait.message()).contains("backoff").contains(later.toString());
  }

  @Test
  void next_when_first_in_line_and_a_worker_polls_and_backoff_is_over() {
    QueueWait wait = QueueWait.decide("default", 0, 1, NOW, NOW);
    assertThat(wait.reason()).isEqualTo(Reason.NEXT);
    assertThat(wait.until()).isNull();
    assertThat(wait.message()).contains("first in line in queue 'default'");
    assertThat(QueueWait.decide("default", 0, 1, NOW.minusSeconds(5), NOW).reason())
        .isEqualTo(Reason.NEXT);
  }

  @Test
  void workers_busy_when_other_jobs_are_ahead() {
    QueueWait wait = QueueWait.decide("default", 3, 2, NOW, NOW);
    assertThat(wait.reason()).isEqualTo(Reason.WORKERS_BUSY);
    assertThat(wait.position()).isEqualTo(4);
    assertThat(wait.until()).isNull();
    assertThat(wait.message())
        .isEqualTo("3 tasks of other jobs ahead in queue 'default', 2 workers polling it");
    assertThat(QueueWait.decide("q", 1, 1, NOW, NOW).message())
        .isEqualTo("1 task of other jobs ahead in queue 'q', 1 worker polling it");
  }

  @Test
  void suspended_has_no_position() {
    QueueWait wait = QueueWait.suspended(3);
    assertThat(wait.reason()).isEqualTo(Reason.SUSPENDED);
    assertThat(wait.position()).isNull();
    assertThat(wait.positionIsLowerBound()).isFalse();
    assertThat(wait.activeWorkers()).isEqualTo(3);
    assertThat(wait.message()).contains("resume the job to queue it");
  }

  @Test
  void positions_start_at_one() {
    assertThat(QueueWait.decide("q", 0, 1, NOW, NOW).position()).isEqualTo(1);
    assertThatThrownBy(() -> QueueWait.decide("q", -1, 1, NOW, NOW))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QueueWait(Reason.NEXT, 0L, false, null, 1, "m", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_position_up_to_the_cap_is_exact() {
    QueueWait atCap = QueueWait.decide("q", QueueWait.POSITION_CAP - 1, 2, NOW, NOW);
    assertThat(atCap.position()).isEqualTo(1_000);
    assertThat(atCap.positionIsLowerBound()).isFalse();
    assertThat(atCap.message())
        .isEqualTo("999 tasks of other jobs ahead in queue 'q', 2 workers polling it");

    QueueWait near = QueueWait.decide("q", 1, 2, NOW, NOW);
    assertThat(near.position()).isEqualTo(2);
    assertThat(near.positionIsLowerBound()).isFalse();
  }

  @Test
  void past_the_cap_the_position_is_the_cap_as_a_lower_bound() {
    // the store stops counting at the cap: 1,000 ahead means "1,000 or more"
    for (long ahead : new long[] {QueueWait.POSITION_CAP, QueueWait.POSITION_CAP + 1, 999_999}) {
      QueueWait wait = QueueWait.decide("q", ahead, 2, NOW, NOW);
      assertThat(wait.reason()).isEqualTo(Reason.WORKERS_BUSY);
      assertThat(wait.position()).isEqualTo(QueueWait.POSITION_CAP);
      assertThat(wait.positionIsLowerBound()).isTrue();
      assertThat(wait.message())
          .isEqualTo("at least 1000 tasks of other jobs ahead in queue 'q', 2 workers polling it");
    }
    // the other reasons keep the bound too
    QueueWait noWorker = QueueWait.decide("q", QueueWait.POSITION_CAP, 0, NOW, NOW);
    assertThat(noWorker.reason()).isEqualTo(Reason.NO_WORKER);
    assertThat(noWorker.positionIsLowerBound()).isTrue();
    assertThat(QueueWait.decide("q", 5_000, 1, NOW.plusSeconds(9), NOW).positionIsLowerBound())
        .isTrue();
  }

  @Test
  void only_the_cap_can_be_a_lower_bound() {
    assertThatThrownBy(
            () -> new QueueWait(Reason.WORKERS_BUSY, 999L, true, null, 1, "m", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new QueueWait(Reason.SUSPENDED, null, true, null, 1, "m", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new QueueWait(Reason.WORKERS_BUSY, 1_001L, false, null, 1, "m", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
