package io.jobplane.adapters.rest;

/**
 * Switches of the REST API.
 *
 * @param metricsPublic whether GET /metrics is served without a token
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 */
public record ApiSettings(boolean metricsPublic, long maxBodyBytes) {

  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  public ApiSettings {
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be positive, was " + maxBodyBytes);
    }
  }

  /** Metrics need a token, bodies up to 1 MiB. */
  public static ApiSettings defaults() {
    return new ApiSettings(false, DEFAULT_MAX_BODY_BYTES);
  }
}
