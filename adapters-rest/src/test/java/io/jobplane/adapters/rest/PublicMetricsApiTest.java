package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublicMetricsApiTest extends ApiTestSupport {

  @Override
  ApiSettings settings() {
    return new ApiSettings(true);
  }

  @Test
  void metrics_can_be_made_public_while_the_api_still_needs_a_token() {
    assertThat(get(null, "metrics").getStatus()).isEqualTo(200);
    problem(get(null, "api/v1/jobs"), 401);
  }
}
