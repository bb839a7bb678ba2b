package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LineProtocolTest {

  @Test
  void readsEveryDirective() {
    assertThat(LineProtocol.parse("##jobplane progress=42"))
        .isEqualTo(new LineProtocol.Progress(42));
    assertThat(LineProtocol.parse("##jobplane items total=1000 completed=420 failed=3"))
        .isEqualTo(new LineProtocol.Items(1000L, 420L, 3L));
    assertThat(LineProtocol.parse("##jobplane items completed=5"))
        .isEqualTo(new LineProtocol.Items(null, 5L, null));
    assertThat(LineProtocol.parse("##jobplane metric records_in=1000 backpressure=0.15"))
        .isEqualTo(new LineProtocol.Metrics(Map.of("records_in", 1000L, "backpressure", 0.15)));
    assertThat(LineProtocol.parse("##jobplane checkpoint id=chk-3 location=s3://x size_bytes=10"))
        .isEqualTo(
            new LineProtocol.Checkpoint(
                Map.of("id", "chk-3", "location", "s3://x", "size_bytes", "10")));
    assertThat(
            ((LineProtocol.Output) LineProtocol.parse("##jobplane output {\"any\": \"json\"}"))
                .record()
                .toString())
        .isEqualTo("{\"any\":\"json\"}");
    assertThat(LineProtocol.parse("##jobplane changed=true"))
        .isEqualTo(new LineProtocol.Changed(true));
    assertThat(LineProtocol.parse("##jobplane message processed 420 files"))
        .isEqualTo(new LineProtocol.Message("processed 420 files"));
  }

  @Test
  void metricsBecomeTheReportsFieldsInItsOrder() {
    var metrics = new java.util.LinkedHashMap<String, Number>();
    metrics.put("throughput", 12.5);
    metrics.put("records_in", 1000L);

    assertThat(LineProtocol.metricsReport(metrics))
        .isEqualTo(
            new io.jobplane.client.model.TaskMetricsReport().recordsIn(1000L).throughput(12.5));
  }

  @Test
  void plainLinesAreNotDirectives() {
    assertThat(LineProtocol.isDirective("hello")).isFalse();
    assertThat(LineProtocol.isDirective("##jobplaneX progress=1")).isFalse();
    assertThat(LineProtocol.isDirective(" ##jobplane progress=1")).isFalse();
  }

  @Test
  void malformedDirectivesAreRejected() {
    for (String bad :
        new String[] {
          "##jobplane progress=101",
          "##jobplane progress=abc",
          "##jobplane items total=-1",
          "##jobplane items",
          "##jobplane metric x",
          "##jobplane metric rows_read=5",
          "##jobplane metric records_in=1.5",
          "##jobplane checkpoint location=s3://x",
          "##jobplane checkpoint id=c state=done",
          "##jobplane output {not json",
          "##jobplane changed=maybe",
          "##jobplane frobnicate=1",
        }) {
      assertThatThrownBy(() -> LineProtocol.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
