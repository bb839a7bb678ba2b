package io.jobplane.adapters.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * Switches of the REST API.
 *
 * @param metricsPublic whether GET /metrics is served without a token
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param tokenCacheTtl how long the answer of a run credential lookup (accepted or refused) is
 *     reused; a revoked credential stops working within this window. Zero looks up every request.
 */
public record ApiSettings(boolean metricsPublic, long maxBodyBytes, Duration tokenCacheTtl) {

  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration DEFAULT_TOKEN_CACHE_TTL = Duration.ofSeconds(5);

  public ApiSettings {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
    Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
    if (tokenCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "tokenCacheTtl must not be negative, was " + tokenCacheTtl);
    }
  }

  /** With the default token cache ttl, {@link #DEFAULT_TOKEN_CACHE_TTL}. */
  public ApiSettings(boolean metricsPublic, long maxBodyBytes) {
    this(metricsPublic, maxBodyBytes, DEFAULT_TOKEN_CACHE_TTL);
  }

  /** Metrics need a token, bodies up to 1 MiB, token lookups reused for 5 s. */
  public static ApiSettings defaults() {
    return new ApiSettings(false, DEFAULT_MAX_BODY_BYTES);
  }
}
