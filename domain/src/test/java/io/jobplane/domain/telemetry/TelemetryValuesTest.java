package io.jobplane.domain.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TelemetryValuesTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

  private static Counters counters(long in, long out, Double thr, Double p99, Double idle) {
    return new Counters(in, out, 0, 0, 0, 0, thr, null, null, p99, null, idle);
  }

  @Test
  void log_lines_validate_message_size_level_and_operator() {
    LogLine ok = new LogLine(T0, LogLevel.WARN, null, "x".repeat(16 * 1024), "source_1", 0);
    assertThat(ok.stream()).isEqualTo(LogStream.STDERR);
    assertThatThrownBy(() -> new LogLine(T0, LogLevel.INFO, null, "é".repeat(9000), null, 0))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("message");
    assertThatThrownBy(() -> new LogLine(T0, LogLevel.INFO, null, "m", "bad id!", 0))
        .hasMessageContaining("operator_id");
    assertThatThrownBy(() -> new LogLine(T0, LogLevel.INFO, null, "m", null, -1))
        .hasMessageContaining("task_index");
    assertThat(ok.asError().level()).isEqualTo(ErrorLevel.ERROR);
  }

  @Test
  void errors_checkpoints_and_output_validate() {
    assertThatThrownBy(
            () ->
                new JobErrorEntry(
                    T0, ErrorLevel.ERROR, null, 0, "m", null, "r".repeat(16 * 1024 + 1)))
        .hasMessageContaining("record");
    assertThatThrownBy(
            () ->
                new Checkpoint(
                    "chk 1", 1, CheckpointState.COMPLETED, T0, null, null, null, null, 0, null))
        .hasMessageContaining("checkpoint_id");
    assertThatThrownBy(
            () ->
                new Checkpoint(
                    "chk-1",
                    1,
                    CheckpointState.COMPLETED,
                    T0,
                    T0.minusSeconds(1),
                    null,
                    null,
                    null,
                    0,
                    null))
        .hasMessageContaining("finished_at");
    assertThatThrownBy(() -> new OutputRecord(T0, "sink_1", 0, "")).hasMessageContaining("record");
    assertThatThrownBy(() -> counters(-1, 0, null, null, null)).hasMessageContaining("records_in");
    assertThatThrownBy(() -> new Counters(0, 0, 0, 0, 0, 0, null, null, null, null, 1.5, null))
        .hasMessageContaining("backpressure");
  }

  @Test
  void aggregation_sums_counters_and_throughput_and_takes_max_latency() {
    MetricsSnapshot t0 =
        new MetricsSnapshot(
            counters(100, 90, 10.0, 200.0, 10.0),
            List.of(
                new OperatorMetrics(
                    "source_1", "Kafka", OperatorKind.SOURCE, counters(100, 100, 10.0, null, null)),
                new OperatorMetrics(
                    "sink_1", "S3", OperatorKind.SINK, counters(90, 90, 9.0, null, null))));
    MetricsSnapshot t1 =
        new MetricsSnapshot(
            counters(50, 40, 5.0, 300.0, 20.0),
            List.of(
                new OperatorMetrics(
                    "source_1", "Kafka", OperatorKind.SOURCE, counters(50, 50, 5.0, null, null)),
                new OperatorMetrics("map_1", null, null, counters(50, 45, null, null, null))));
    JobMetrics m = new JobMetrics(Map.of(1, t1, 0, t0));
    Counters total = m.total();
    assertThat(total.recordsIn()).isEqualTo(150);
    assertThat(total.recordsOut()).isEqualTo(130);
    assertThat(total.throughput()).isEqualTo(15.0);
    assertThat(total.latencyP99()).isEqualTo(300.0);
    assertThat(total.latencyP50()).isNull();
    assertThat(total.idleTimePercent()).isEqualTo(15.0);
    assertThat(m.operators())
        .extracting(JobMetrics.OperatorView::operatorId)
        .containsExactly("source_1", "sink_1", "map_1");
    JobMetrics.OperatorView source = m.operators().get(0);
    assertThat(source.subtasks()).containsOnlyKeys(0, 1);
    assertThat(source.values().recordsOut()).isEqualTo(150);
    var groups = m.groups();
    assertThat(groups.get(OperatorKind.SOURCE).totalRecords()).isEqualTo(150);
    assertThat(groups.get(OperatorKind.SOURCE).throughput()).isEqualTo(15.0);
    assertThat(groups.get(OperatorKind.SINK).totalRecords()).isEqualTo(90);
    assertThat(groups.get(OperatorKind.TRANSFORM).operators()).containsExactly("map_1");
    assertThatThrownBy(
            () ->
                new MetricsSnapshot(
                    null,
                    List.of(
                        new OperatorMetrics("a", null, null, null),
                        new OperatorMetrics("a", null, null, null))))
        .hasMessageContaining("twice");
  }

  @Test
  void eta_is_a_least_squares_rate_over_the_last_samples() {
    assertThat(EtaEstimator.estimateSecondsRemaining(List.of())).isNull();
    assertThat(EtaEstimator.estimateSecondsRemaining(List.of(sample(0, 0, 10)))).isNull();
    // 1 % per second, at 40 % -> 60 s
    List<ProgressSample> linear = new ArrayList<>();
    for (int i = 0; i <= 40; i += 10) {
      linear.add(sample(0, i, i));
    }
    assertThat(EtaEstimator.estimateSecondsRemaining(linear)).isEqualTo(60L);
    // flat or falling progress has no estimate
    assertThat(EtaEstimator.estimateSecondsRemaining(List.of(sample(0, 0, 50), sample(0, 10, 50))))
        .isNull();
    assertThat(EtaEstimator.estimateSecondsRemaining(List.of(sample(0, 0, 50), sample(0, 10, 40))))
        .isNull();
    // the slowest task decides: task 1 does 0.5 %/s at 50 % -> 100 s
    List<ProgressSample> two = new ArrayList<>(linear);
    two.add(sample(1, 0, 30));
    two.add(sample(1, 40, 50));
    assertThat(EtaEstimator.estimateSecondsRemaining(two)).isEqualTo(100L);
    // only the last WINDOW samples count: an old slow phase is forgotten
    List<ProgressSample> phases = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      phases.add(sample(0, i * 100, i * 0.1));
    }
    for (int i = 1; i <= EtaEstimator.WINDOW; i++) {
      phases.add(sample(0, 3000 + i, 3 + i));
    }
    assertThat(EtaEstimator.estimateSecondsRemaining(phases)).isEqualTo(100L - 23);
    assertThat(EtaEstimator.estimateSecondsRemaining(List.of(sample(0, 0, 90), sample(0, 5, 100))))
        .isZero();
  }

  private static ProgressSample sample(int task, long second, double progress) {
    return new ProgressSample(T0.plusSeconds(second), task, progress);
  }

  @Test
  void zero_counters_are_the_aggregate_of_no_task_and_an_error_line_has_no_details() {
    assertThat(Counters.ZERO.recordsIn()).isZero();
    assertThat(Counters.ZERO.throughput()).isNull();
    assertThat(Counters.ZERO.idleTimePercent()).isNull();
    LogLine line = new LogLine(T0, LogLevel.ERROR, null, "boom", "source_1", 2);
    assertThat(line.asError())
        .isEqualTo(new JobErrorEntry(T0, ErrorLevel.ERROR, "source_1", 2, "boom", null, null));
    assertThatThrownBy(() -> JobErrorEntry.builder().level(ErrorLevel.WARNING).build())
        .hasMessageContaining("timestamp");
  }
}
