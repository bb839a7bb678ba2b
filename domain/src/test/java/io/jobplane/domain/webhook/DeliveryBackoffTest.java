package io.jobplane.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeliveryBackoffTest {

  private static final Instant T0 = Instant.parse("2026-11-29T00:00:00Z");
  private final DeliveryBackoff backoff = DeliveryBackoff.withBase(Duration.ofSeconds(10));

  @Test
  void delaysDoubleFromTheBaseUpToTheCap() {
    // full jitter 1.0: the whole delay
    assertThat(backoff.delay(1, 1.0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(backoff.delay(2, 1.0)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.delay(3, 1.0)).isEqualTo(Duration.ofSeconds(40));
    assertThat(backoff.delay(20, 1.0)).isEqualTo(Duration.ofHours(1));
    assertThat(backoff.delay(1_000, 1.0)).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void jitterKeepsEachDelayBetweenHalfAndAllOfTheSchedule() {
    assertThat(backoff.delay(3, 0.0)).isEqualTo(Duration.ofSeconds(20));
    assertThat(backoff.delay(3, 0.5)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.delay(3, 0.999)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
  }

  @Test
  void retriesStopWhenTheNextWouldFallOutsideTheTwentyFourHourWindow() {
    assertThat(backoff.next(1, T0, T0, 1.0)).contains(T0.plusSeconds(10));
    Instant late = T0.plus(Duration.ofHours(23).plusMinutes(30));
    assertThat(backoff.next(30, late, T0, 0.0)).contains(late.plus(Duration.ofMinutes(30)));
    assertThat(backoff.next(30, late, T0, 1.0)).isEmpty();
  }

  @Test
  void aFailingReceiverIsTriedAboutThirtyTimesOverTheDay() {
    Instant now = T0;
    int attempts = 1;
    var next = backoff.next(attempts, now, T0, 1.0);
    while (next.isPresent()) {
      now = next.get();
      attempts++;
      next = backoff.next(attempts, now, T0, 1.0);
    }
    assertThat(attempts).isBetween(25, 35);
    assertThat(Duration.between(T0, now)).isLessThanOrEqualTo(DeliveryBackoff.WINDOW);
  }
}
