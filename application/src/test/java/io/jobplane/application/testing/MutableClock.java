package io.jobplane.application.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that stands still until a test moves it. Thread-safe. */
public final class MutableClock extends Clock {

  public static final Instant DEFAULT_START = Instant.parse("2026-11-23T12:00:00.123456Z");

  private volatile Instant now;
  private final ZoneId zone;

  public MutableClock(Instant start) {
    this(start, ZoneOffset.UTC);
  }

  private MutableClock(Instant start, ZoneId zone) {
    this.now = Objects.requireNonNull(start, "start");
    this.zone = zone;
  }

  /** A clock fixed at {@link #DEFAULT_START}. */
  public static MutableClock fixed() {
    return new MutableClock(DEFAULT_START);
  }

  public static MutableClock at(Instant start) {
    return new MutableClock(start);
  }

  public synchronized MutableClock advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  public MutableClock set(Instant instant) {
    now = Objects.requireNonNull(instant, "instant");
    return this;
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, newZone);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
