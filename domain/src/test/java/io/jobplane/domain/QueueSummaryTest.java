package io.jobplane.domain;

import static io.jobplane.domain.QueueWait.Reason.BACKOFF;
import static io.jobplane.domain.QueueWait.Reason.NEXT;
import static io.jobplane.domain.QueueWait.Reason.NO_WORKER;
import static io.jobplane.domain.QueueWait.Reason.SUSPENDED;
import static io.jobplane.domain.QueueWait.Reason.WORKERS_BUSY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueSummaryTest {

  private static final Instant T = Instant.parse("2026-11-29T04:00:00Z");

  private static QueueSummary summary(
      long queued, long inBackoff, long suspended, long running, int workers) {
    return QueueSummary.of(
        new QueueCounts(
            "p",
            "q",
            new QueueCounts.WaitingJobs(queued, inBackoff, suspended, queued > 0 ? T : null),
            running,
            workers));
  }

  @Test
  void withoutAnActiveWorkerEveryQueuedJobWaitsForOne() {
    assertThat(summary(5, 2, 0, 0, 0).waitingReasons()).isEqualTo(Map.of(NO_WORKER, 5L));
  }

  @Test
  void withWorkersOneJobIsNextAndTheRestWaitForBusyWorkersOrTheirBackoff() {
    assertThat(summary(5, 2, 0, 3, 2).waitingReasons())
        .isEqualTo(Map.of(BACKOFF, 2L, NEXT, 1L, WORKERS_BUSY, 2L));
  }

  @Test
  void aSingleClaimableJobIsNextAndNoneWaitsForBusyWorkers() {
    assertThat(summary(1, 0, 0, 0, 1).waitingReasons()).isEqualTo(Map.of(NEXT, 1L));
  }

  @Test
  void whenEveryQueuedJobIsInBackoffNoneIsNext() {
    assertThat(summary(3, 3, 0, 0, 1).waitingReasons()).isEqualTo(Map.of(BACKOFF, 3L));
  }

  @Test
  void suspendedJobsWaitToBeResumedWhateverTheWorkers() {
    assertThat(summary(0, 0, 4, 1, 0).waitingReasons()).isEqualTo(Map.of(SUSPENDED, 4L));
    assertThat(summary(0, 0, 4, 1, 3).waitingReasons()).isEqualTo(Map.of(SUSPENDED, 4L));
  }

  @Test
  void aQueueWhereNothingWaitsHasNoReason() {
    QueueSummary q = summary(0, 0, 0, 7, 2);
    assertThat(q.waitingReasons()).isEmpty();
    assertThat(q.running()).isEqualTo(7);
    assertThat(q.oldestQueuedAt()).isNull();
  }

  @Test
  void reasonsComeMostFundamentalFirst() {
    assertThat(summary(5, 2, 1, 0, 1).waitingReasons().keySet())
        .containsExactly(BACKOFF, WORKERS_BUSY, NEXT, SUSPENDED);
  }

  @Test
  void negativeCountsAreRefused() {
    assertThatThrownBy(() -> new QueueCounts.WaitingJobs(-1, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
