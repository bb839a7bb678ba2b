package io.jobplane.application.service;

import io.jobplane.domain.QueueWait;
import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of parked (long-polling) claims: how many one process holds, how many one caller (token)
 * may hold, and the longest a claim stays parked, whatever it asked for. The HTTP container closes
 * connections that stay silent for its idle timeout, so {@code longestPark} must end before that.
 * Zero never parks: every claim answers at once.
 */
public record ClaimWaitLimits(int maxParked, int maxParkedPerCaller, Duration longestPark) {

  public static final ClaimWaitLimits DEFAULTS =
      new ClaimWaitLimits(1_000, 500, Duration.ofSeconds(29));

  public ClaimWaitLimits {
    Objects.requireNonNull(longestPark, "longestPark");
    if (maxParked < 1 || maxParkedPerCaller < 1) {
      throw new IllegalArgumentException("parked claim limits must be at least 1");
    }
    if (longestPark.isNegative()) {
      throw new IllegalArgumentException("the longest park must not be negative");
    }
  }

  /**
   * The longest park that ends before a connection idle for {@code idleTimeout} is closed (a second
   * before it; half of it, below two seconds), and a second before {@link QueueWait#ACTIVE_WINDOW}:
   * a waiting worker claims again, and is seen again, within the window in which it counts as
   * active for its queue ({@code waiting.active_workers} of a job).
   */
  public static Duration longestParkWithin(Duration idleTimeout) {
    Duration margin =
        idleTimeout.compareTo(Duration.ofSeconds(2)) < 0
            ? idleTimeout.dividedBy(2)
            : Duration.ofSeconds(1);
    Duration park = idleTimeout.minus(margin);
    Duration most = QueueWait.ACTIVE_WINDOW.minusSeconds(1);
    return park.compareTo(most) > 0 ? most : park;
  }

  public ClaimWaitLimits withLongestPark(Duration park) {
    return new ClaimWaitLimits(maxParked, maxParkedPerCaller, park);
  }
}
