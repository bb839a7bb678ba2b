package io.jobplane.domain.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookUrlTest {

  @Test
  void httpAndHttpsUrlsWithAHostAreAccepted() {
    assertThat(WebhookUrl.parse("https://hooks.example.com/jobplane?x=1", "url").getHost())
        .isEqualTo("hooks.example.com");
    assertThat(WebhookUrl.parse("HTTP://127.0.0.1:8080/in", "url").getPort()).isEqualTo(8080);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://example.com/",
        "jar:http://example.com/a.jar!/",
        "/relative/path",
        "https:///no-host",
        "https://user:pass@example.com/",
        "https://example.com/#fragment",
        "http://exa mple.com/",
        ""
      })
  void everythingElseIsRefusedNamingTheField(String url) {
    assertThatThrownBy(() -> WebhookUrl.parse(url, "url"))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("url"));
  }

  @Test
  void aUrlLongerThanTheLimitIsRefused() {
    String url = "https://example.com/" + "a".repeat(WebhookUrl.MAX_LENGTH);
    assertThatThrownBy(() -> WebhookUrl.parse(url, "url"))
        .hasMessageContaining(String.valueOf(WebhookUrl.MAX_LENGTH));
  }
}
