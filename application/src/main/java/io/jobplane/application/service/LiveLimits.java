package io.jobplane.application.service;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the live streams: how many one process serves, how many one caller (token) may hold,
 * and how often an idle stream proves its peer is alive.
 */
public record LiveLimits(int maxStreams, int maxStreamsPerCaller, Duration heartbeat) {

  public static final LiveLimits DEFAULTS = new LiveLimits(10_000, 256, Duration.ofSeconds(15));

  public LiveLimits {
    Objects.requireNonNull(heartbeat, "heartbeat");
    if (maxStreams < 1 || maxStreamsPerCaller < 1) {
      throw new IllegalArgumentException("stream limits must be at least 1");
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat must be positive");
    }
  }
}
