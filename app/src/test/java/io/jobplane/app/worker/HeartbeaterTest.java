package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.LeaseReport;
import io.jobplane.client.model.StopInstruction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeaterTest {

  private static final Duration SECOND = Duration.ofSeconds(1);

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final List<LeaseReport> sent = new ArrayList<>();
  private Optional<StopInstruction> answer = Optional.empty();
  private RuntimeException refusal;
  private final RecordingTask task = new RecordingTask();

  private Heartbeater heartbeater(Duration stopCheck, Duration telemetry) {
    return new Heartbeater(
        "task",
        stopCheck,
        telemetry,
        nanos::get,
        report -> {
          sent.add(report);
          if (refusal != null) {
            throw refusal;
          }
          return answer;
        },
        task);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void betweenTelemetryIntervalsHeartbeatsCarryNothingButTheLease() {
    Heartbeater h = heartbeater(SECOND, Duration.ofSeconds(10));

    for (int i = 0; i < 9; i++) {
      advance(SECOND);
      h.beat();
    }
    advance(SECOND);
    h.beat();

    assertThat(sent).hasSize(10);
    assertThat(sent.subList(0, 9)).allSatisfy(r -> assertThat(r.getProgress()).isNull());
    assertThat(sent.get(9).getProgress()).isEqualTo(42);
    assertThat(task.telemetryAsked).isEqualTo(1);
  }

  @Test
  void whenTheStopCheckIsNotShorterEveryHeartbeatCarriesTelemetry() {
    Heartbeater h = heartbeater(SECOND, SECOND);

    h.beat();
    h.beat();

    assertThat(sent).extracting(LeaseReport::getProgress).containsExactly(42, 42);
  }

  @Test
  void aStopInTheAnswerGoesToTheTask() {
    StopInstruction stop = new StopInstruction().mode(StopInstruction.ModeEnum.IMMEDIATE);
    answer = Optional.of(stop);

    heartbeater(SECOND, SECOND).beat();

    assertThat(task.stops).containsExactly(stop);
  }

  @Test
  void aRefusedLeaseGoesToTheTaskAndOtherFailuresAreOnlyLogged() {
    Heartbeater h = heartbeater(SECOND, SECOND);
    refusal = new ApiException(503, "unavailable", null);
    h.beat();
    assertThat(task.lost).isEmpty();

    LeaseLostException stale = new LeaseLostException("409");
    refusal = stale;
    h.beat();
    assertThat(task.lost).containsExactly(stale);
  }

  @Test
  void aQuietTaskSendsNoHeartbeat() {
    task.quiet = true;

    heartbeater(SECOND, SECOND).beat();

    assertThat(sent).isEmpty();
  }

  private static final class RecordingTask implements Heartbeater.Task {
    boolean quiet;
    int telemetryAsked;
    final List<StopInstruction> stops = new ArrayList<>();
    final List<LeaseLostException> lost = new ArrayList<>();

    @Override
    public boolean quiet() {
      return quiet;
    }

    @Override
    public LeaseReport telemetry() {
      telemetryAsked++;
      return ReportBuffer.heartbeat().progress(42);
    }

    @Override
    public void stopRequested(StopInstruction stop) {
      stops.add(stop);
    }

    @Override
    public void leaseLost(LeaseLostException e) {
      lost.add(e);
    }
  }
}
