package io.jobplane.app.http;

import io.jobplane.application.service.ClaimWaitLimits;
import io.jobplane.application.service.LiveLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP container protects the process: connections idle (or stuck mid-request) longer than
 * {@code idleTimeout} are closed, at most {@code maxConnections} are open at once (more wait in the
 * accept backlog), request headers and bodies are bounded, and shutdown lets requests in flight
 * finish for {@code shutdownGrace}. {@code live} bounds the live streams, {@code claimWaits} the
 * claims parked while they long-poll.
 */
public record HttpSettings(
    Duration idleTimeout,
    int maxConnections,
    int maxHeaderBytes,
    long maxBodyBytes,
    Duration shutdownGrace,
    LiveLimits live,
    ClaimWaitLimits claimWaits) {

  /** With the default limits of parked claims, which answer before the idle timeout. */
  public HttpSettings(
      Duration idleTimeout,
      int maxConnections,
      int maxHeaderBytes,
      long maxBodyBytes,
      Duration shutdownGrace,
      LiveLimits live) {
    this(
        idleTimeout,
        maxConnections,
        maxHeaderBytes,
        maxBodyBytes,
        shutdownGrace,
        live,
        ClaimWaitLimits.DEFAULTS.withLongestPark(
            ClaimWaitLimits.longestParkWithin(Objects.requireNonNull(idleTimeout, "idleTimeout"))));
  }

  public static final HttpSettings DEFAULTS =
      new HttpSettings(
          Duration.ofSeconds(30),
          10_000,
          16 * 1024,
          1024 * 1024,
          Duration.ofSeconds(20),
          LiveLimits.DEFAULTS);

  public HttpSettings {
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(live, "live");
    Objects.requireNonNull(claimWaits, "claimWaits");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    if (maxConnections < 1 || maxHeaderBytes < 1024 || maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "connection, header (at least 1024) and body limits must be positive");
    }
    if (live.heartbeat().compareTo(idleTimeout) >= 0) {
      // an idle stream would be closed by the container before its heartbeat kept it open
      throw new IllegalArgumentException(
          "the stream heartbeat must be shorter than the idle timeout");
    }
    if (!claimWaits.longestPark().isZero()
        && claimWaits.longestPark().compareTo(idleTimeout) >= 0) {
      // the container would close a waiting claim's connection before it is answered
      throw new IllegalArgumentException("claims must stop waiting before the idle timeout");
    }
  }

  public HttpSettings withShutdownGrace(Duration grace) {
    return new HttpSettings(
        idleTimeout, maxConnections, maxHeaderBytes, maxBodyBytes, grace, live, claimWaits);
  }
}
