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
 * @param rateLimit requests each token may make, in memory per server process
 */
public record ApiSettings(boolean metricsPublic, Duration tokenCacheTtl, RateLimit rateLimit) {

  /**
   * Under the 5 s within which the docs promise a revoked or expired token is refused everywhere,
   * with a second to spare for the lookup that filled the entry and for a loaded machine.
   */
  public static final Duration DEFAULT_TOKEN_CACHE_TTL = Duration.ofSeconds(4);

  /**
   * A token bucket per caller: {@code burst} requests at once, refilled at {@code perSecond}; zero
   * per second turns the limit off.
   */
  public record RateLimit(int perSecond, int burst) {
    public static final RateLimit OFF = new RateLimit(0, 0);

    public RateLimit {
      if (perSecond < 0 || perSecond > 1_000_000) {
        throw new IllegalArgumentException("the rate limit must be between 0 and 1000000 a second");
      }
      if (perSecond > 0 && (burst < 1 || burst > 10_000_000)) {
        throw new IllegalArgumentException("the burst must be between 1 and 10000000");
      }
    }

    public boolean enabled() {
      return perSecond > 0;
    }
  }

  public ApiSettings {
    Objects.requireNonNull(rateLimit, "rateLimit");
    Objects.requireNonNull(tokenCacheTtl, "tokenCacheTtl");
    if (tokenCacheTtl.isNegative()) {
      throw new IllegalArgumentException(
          "tokenCacheTtl must not be negative, was " + tokenCacheTtl);
    }
  }

  /** With the default token cache ttl, {@link #DEFAULT_TOKEN_CACHE_TTL}. */
  public ApiSettings(boolean metricsPublic) {
    this(metricsPublic, DEFAULT_TOKEN_CACHE_TTL, RateLimit.OFF);
  }

  /** Metrics need a token, run credential lookups reused for 5 s. */
  public static ApiSettings defaults() {
    return new ApiSettings(false);
  }
}
