package io.jobplane.adapters.rest;

/**
 * Switches of the REST API. Transport limits (body and header sizes, timeouts) belong to the HTTP
 * container, which enforces them before a request reaches the API.
 *
 * @param metricsPublic whether GET /metrics is served without a token
 */
public record ApiSettings(boolean metricsPublic) {

  /** Metrics need a token. */
  public static ApiSettings defaults() {
    return new ApiSettings(false);
  }
}
