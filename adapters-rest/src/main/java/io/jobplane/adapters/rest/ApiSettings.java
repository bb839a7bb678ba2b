package io.jobplane.adapters.rest;

import java.time.Duration;
import java.util.Objects;

/**
 * Switches of the REST API. Transport limits (body and header sizes, timeouts) belong to the HTTP
 * container, which enforces them before a request reaches the API.
 *
 * @param metricsPublic whether GET /metrics is served without a token
 * @param tokenCacheTtl how long the answer of a run credential lookup (accepted or refused) is
 *     reused; a revoked credential stops working within this window. Zero looks up every request.
 */
public record ApiSettings(boolean metricsPublic, Duration tokenCacheTtl) {

  public static final Duration DEFAULT_TOKEN_CACHE_TTL = Duration.ofSeconds(5);

  public ApiSettings {
    Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
    if (tokenCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "tokenCacheTtl must not be negative, was " + tokenCacheTtl);
    }
  }

  /** With the default token cache ttl, {@link #DEFAULT_TOKEN_CACHE_TTL}. */
  public ApiSettings(boolean metricsPublic) {
    this(metricsPublic, DEFAULT_TOKEN_CACHE_TTL);
  }

  /** Metrics need a token, run credential lookups reused for 5 s. */
  public static ApiSettings defaults() {
    return new ApiSettings(false);
  }
}
