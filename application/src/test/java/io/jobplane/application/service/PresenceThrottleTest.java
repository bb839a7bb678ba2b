package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.out.WorkerPresence.Sighting;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceThrottleTest {

  private final PresenceThrottle throttle = new PresenceThrottle();
  private final Instant t0 = Instant.parse("2026-11-29T01:00:00Z");

  private Sighting seen(String worker, String host, List<String> queues, Instant at) {
    return new Sighting(worker, host, queues, 10, 1, at);
  }

  @Test
  void a_worker_claiming_in_a_loop_is_written_once_a_second() {
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0))).isTrue();
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0.plusMillis(400)))).isFalse();
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0.plusMillis(999)))).isFalse();
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0.plusMillis(1000)))).isTrue();
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0.plusMillis(1500)))).isFalse();
  }

  @Test
  void a_changed_host_or_queue_list_is_written_at_once() {
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0))).isTrue();
    assertThat(throttle.due(seen("w1", "h", List.of("etl", "gpu"), t0.plusMillis(1)))).isTrue();
    assertThat(throttle.due(seen("w1", "h2", List.of("etl", "gpu"), t0.plusMillis(2)))).isTrue();
  }

  @Test
  void each_worker_has_its_own_interval() {
    assertThat(throttle.due(seen("w1", "h", List.of("etl"), t0))).isTrue();
    assertThat(throttle.due(seen("w2", "h", List.of("etl"), t0.plusMillis(1)))).isTrue();
    assertThat(throttle.due(seen("w2", "h", List.of("etl"), t0.plusMillis(2)))).isFalse();
  }
}
