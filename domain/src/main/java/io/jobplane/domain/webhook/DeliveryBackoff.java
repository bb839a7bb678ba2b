package io.jobplane.domain.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a failed delivery is tried again: {@code base} after the first failure, doubling up to
 * {@code cap}, each delay between half and all of that ("equal jitter": receivers that came back
 * are not hit by every server at the same instant, and retries never bunch up closer than half the
 * schedule). A delivery whose next attempt would fall after {@code window} from the start of its
 * retry window (the event, or the last redelivery) is given up.
 */
public record DeliveryBackoff(Duration base, Duration cap, Duration window) {

  public static final Duration DEFAULT_BASE = Duration.ofSeconds(10);
  public static final Duration CAP = Duration.ofHours(1);
  public static final Duration WINDOW = Duration.ofHours(24);

  public DeliveryBackoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    Objects.requireNonNull(window, "window");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap");
    }
  }

  public static DeliveryBackoff withBase(Duration base) {
    return new DeliveryBackoff(base, CAP.compareTo(base) < 0 ? base : CAP, WINDOW);
  }

  /** The delay after {@code failures} failed attempts (1 or more), for {@code jitter} in [0, 1). */
  public Duration delay(int failures, double jitter) {
    long baseMillis = base.toMillis();
    long capMillis = cap.toMillis();
    long full = baseMillis;
    for (int i = 1; i < failures && full < capMillis; i++) {
      full *= 2;
    }
    full = Math.min(full, capMillis);
    double j = Math.min(Math.max(jitter, 0), 1);
    return Duration.ofMillis(full / 2 + Math.round(full / 2.0 * j));
  }

  /**
   * The next attempt after {@code failures} failed ones, at {@code now}, in a retry window that
   * started at {@code windowStart}; empty once it would fall outside the window.
   */
  public Optional<Instant> next(int failures, Instant now, Instant windowStart, double jitter) {
    Instant at = now.plus(delay(failures, jitter));
    return at.isAfter(windowStart.plus(window)) ? Optional.empty() : Optional.of(at);
  }
}
