package io.jobplane.app;

import io.jobplane.app.http.HttpSettings;
import io.jobplane.application.service.ClaimWaitLimits;
import io.jobplane.application.service.LiveLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * What the HTTP container, the live streams and the waiting claims enforce; validated into {@link
 * HttpSettings}.
 */
final class HttpOptions {

  @Option(
      names = "--max-body-bytes",
      defaultValue = "1048576",
      description =
          "Largest accepted request body; larger ones get 413 (default: ${DEFAULT-VALUE}).")
  long maxBodyBytes;

  @Option(
      names = "--max-header-bytes",
      defaultValue = "16384",
      description =
          "Largest accepted request line and headers; larger ones get 431 (default: ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--idle-timeout-seconds",
      defaultValue = "30",
      description =
          "Connections silent this long (idle, or stuck in a request's headers or body) are"
              + " closed (default: ${DEFAULT-VALUE}).")
  int idleTimeoutSeconds;

  @Option(
      names = "--max-connections",
      defaultValue = "10000",
      description =
          "Open connections at most; more wait in the accept backlog (default: ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--shutdown-grace-seconds",
      defaultValue = "20",
      description =
          "How long in-flight requests may take to finish on SIGTERM (default: ${DEFAULT-VALUE}).")
  int shutdownGraceSeconds;

  @Option(
      names = "--max-streams",
      defaultValue = "10000",
      description =
          "Live streams (SSE) the server holds at most; more get 503 (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Option(
      names = "--max-streams-per-token",
      defaultValue = "256",
      description =
          "Live streams one token may hold at most; more get 429 (default: ${DEFAULT-VALUE}).")
  int maxStreamsPerToken;

  @Option(
      names = "--stream-heartbeat-seconds",
      defaultValue = "15",
      description =
          "Seconds between keep-alive comments on idle live streams, which find dead peers"
              + " (default: ${DEFAULT-VALUE}).")
  int streamHeartbeatSeconds;

  @Option(
      names = "--max-claim-waits",
      defaultValue = "1000",
      description =
          "Claims waiting for work (long-polling, wait_seconds) the server holds at most; more get"
              + " 503 (default: ${DEFAULT-VALUE}).")
  int maxClaimWaits;

  @Option(
      names = "--max-claim-waits-per-token",
      defaultValue = "500",
      description =
          "Claims waiting for work one token may hold at most; more get 429 (default:"
              + " ${DEFAULT-VALUE}).")
  int maxClaimWaitsPerToken;

  HttpSettings settings() {
    if (idleTimeoutSeconds < 1 || shutdownGraceSeconds < 0 || streamHeartbeatSeconds < 1) {
      throw new IllegalArgumentException(
          "--idle-timeout-seconds and --stream-heartbeat-seconds must be at least 1,"
              + " --shutdown-grace-seconds at least 0");
    }
    if (maxClaimWaits < 1 || maxClaimWaitsPerToken < 1) {
      throw new IllegalArgumentException(
          "--max-claim-waits and --max-claim-waits-per-token must be at least 1");
    }
    return new HttpSettings(
        Duration.ofSeconds(idleTimeoutSeconds),
        maxConnections,
        maxHeaderBytes,
        maxBodyBytes,
        Duration.ofSeconds(shutdownGraceSeconds),
        new LiveLimits(maxStreams, maxStreamsPerToken, Duration.ofSeconds(streamHeartbeatSeconds)),
        // a waiting claim is answered before the idle timeout would close its connection
        new ClaimWaitLimits(
            maxClaimWaits,
            maxClaimWaitsPerToken,
            ClaimWaitLimits.longestParkWithin(Duration.ofSeconds(idleTimeoutSeconds))));
  }
}
