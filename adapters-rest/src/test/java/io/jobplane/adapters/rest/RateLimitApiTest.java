package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.adapters.rest.ApiSettings.RateLimit;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** One request a second per token, bursts of two: the third request of a token is refused. */
class RateLimitApiTest extends ApiTestSupport {

  @Override
  ApiSettings settings() {
    return new ApiSettings(false, ApiSettings.DEFAULT_TOKEN_CACHE_TTL, new RateLimit(1, 2));
  }

  @Test
  void aTokenPastItsBurstGets429WithRetryAfterWhileOtherTokensAndHealthChecksGoOn() {
    assertThat(get(VIEWER, "api/v1/jobs").getStatus()).isEqualTo(200);
    assertThat(get(VIEWER, "api/v1/jobs").getStatus()).isEqualTo(200);

    Response refused = get(VIEWER, "api/v1/jobs");
    JsonNode p = problem(refused, 429);
    assertThat(p.get("type").asText()).endsWith("/rate-limited");
    assertThat(p.get("detail").asText()).contains("1 requests a second").doesNotContain(VIEWER);
    assertThat(Integer.parseInt(refused.getHeaderString("Retry-After"))).isBetween(1, 2);

    assertThat(get(SUBMITTER, "api/v1/jobs").getStatus()).isEqualTo(200);
    for (int i = 0; i < 5; i++) {
      assertThat(get(null, "healthz").getStatus()).isEqualTo(200);
    }
  }

  @Test
  void aRefusedRequestDoesNoWork() {
    get(SUBMITTER, "api/v1/jobs");
    get(SUBMITTER, "api/v1/jobs");

    problem(post(SUBMITTER, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\"}"), 429);

    assertThat(jobs.size()).isZero();
  }
}
