package io.jobplane.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.client.model.Items;
import io.jobplane.client.model.LeaseReport;
import org.junit.jupiter.api.Test;

class TaskTelemetryTest {

  private final TaskTelemetry telemetry = new TaskTelemetry();

  @Test
  void aHeartbeatCarriesTheLatestStateAndMarksItSent() {
    telemetry.record(LineProtocol.parse("##jobplane progress=99.9"));
    telemetry.record(LineProtocol.parse("##jobplane items total=10 completed=4"));
    telemetry.record(LineProtocol.parse("##jobplane items failed=1"));
    telemetry.record(LineProtocol.parse("##jobplane message halfway"));
    assertThat(telemetry.unsent()).isTrue();

    LeaseReport report = telemetry.heartbeatReport();

    assertThat(report.getType()).isEqualTo(LeaseReport.TypeEnum.HEARTBEAT);
    assertThat(report.getProgress()).isEqualTo(99); // 99.9 is not yet done
    assertThat(report.getItems()).isEqualTo(new Items().total(10L).completed(4L).failed(1L));
    assertThat(report.getMessage()).isEqualTo("halfway");
    assertThat(telemetry.unsent()).isFalse();
  }

  @Test
  void theCompletionCarriesTheLastOutputObjectOrAValueAndChanged() {
    assertThat(telemetry.completeReport().getOutput()).isNull();

    telemetry.record(LineProtocol.parse("##jobplane output {\"a\": 1}"));
    telemetry.record(LineProtocol.parse("##jobplane output 7"));
    telemetry.record(LineProtocol.parse("##jobplane changed=false"));
    LeaseReport complete = telemetry.completeReport();

    assertThat(complete.getType()).isEqualTo(LeaseReport.TypeEnum.COMPLETE);
    assertThat(complete.getOutput()).containsOnlyKeys("value");
    assertThat(complete.getOutput().get("value").toString()).isEqualTo("7");
    assertThat(complete.getChanged()).isFalse();
  }

  @Test
  void checkpointsAreNotTelemetry() {
    assertThat(telemetry.record(LineProtocol.parse("##jobplane checkpoint id=c1"))).isFalse();
    assertThat(telemetry.unsent()).isFalse();
  }
}
