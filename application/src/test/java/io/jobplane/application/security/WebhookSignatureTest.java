package io.jobplane.application.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  private static final String SECRET = "whsec-0123456789abcdef";
  private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void theHeaderIsTheTimeAndTheHexHmacOfTimeDotBody() {
    // echo -n '1700000000.{"id":"1"}' | openssl dgst -sha256 -hmac whsec-0123456789abcdef
    assertThat(WebhookSignature.header(SECRET, 1_700_000_000L, BODY))
        .isEqualTo(
            "t=1700000000,v1=51ab7b92e010e78aa00efd39576b4c5b7a55dceae782c446fe893eb8748de0fc");
  }

  @Test
  void aSignatureVerifiesOnlyForTheSameSecretBodyAndTime() {
    String header = WebhookSignature.header(SECRET, 1_700_000_000L, BODY);

    assertThat(WebhookSignature.verify(SECRET, header, BODY)).isTrue();
    assertThat(WebhookSignature.verify("another-secret-of-16", header, BODY)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, header, "{\"id\":\"2\"}".getBytes())).isFalse();
    assertThat(
            WebhookSignature.verify(SECRET, header.replace("t=1700000000", "t=1700000001"), BODY))
        .as("a replay with a fresh time")
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, "v1=abc", BODY)).isFalse();
  }
}
