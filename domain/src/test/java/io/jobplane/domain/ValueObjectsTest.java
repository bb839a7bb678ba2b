package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValueObjectsTest {

  @Test
  void labelsAcceptKubernetesSyntax() {
    Labels labels =
        new Labels(Map.of("app.kubernetes.io/name", "etl", "tier", "", "a_b.c-d", "X1"));
    assertThat(labels.values()).containsKeys("app.kubernetes.io/name", "tier", "a_b.c-d");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "-lead",
        "trail-",
        "has space",
        "UPPER/x",
        "/x",
        "a/",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void labelKeysOutsideKubernetesSyntaxAreRejected(String key) {
    assertThatThrownBy(() -> new Labels(Map.of(key, "v"))).isInstanceOf(DomainException.class);
  }

  @Test
  void labelValuesOutsideKubernetesSyntaxAreRejected() {
    assertThatThrownBy(() -> new Labels(Map.of("k", "bad value")))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new Labels(Map.of("k", "v".repeat(64))))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void tooManyLabelsAreRejected() {
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i <= Labels.MAX_LABELS; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> new Labels(many)).hasMessageContaining("at most");
  }

  @Test
  void inputIsSizeLimited() {
    String big = "{\"x\":\"" + "a".repeat(JobInput.MAX_BYTES) + "\"}";
    assertThatThrownBy(() -> new JobInput(big)).isInstanceOf(DomainException.class);
    assertThat(new JobInput(null).json()).isEqualTo("{}");
  }

  @Test
  void namesMayBeUnicodeButNotControlCharacters() {
    assertThat(Text.displayText("Täglicher Import 🚀", "name", 200)).isNotNull();
    assertThatThrownBy(() -> Text.displayText("bad\u0000name", "name", 200))
        .isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> Text.displayText("line\nbreak", "name", 200))
        .isInstanceOf(DomainException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ETL", "-x", "a b", "x;drop table jobs"})
  void identifiersAreLowerCaseDnsLabels(String value) {
    assertThatThrownBy(() -> Text.identifier(value, "type")).isInstanceOf(DomainException.class);
  }

  @Test
  void definitionBoundsAreEnforced() {
    assertThatThrownBy(() -> validDefinition().maxAttempts(0).build())
        .hasMessageContaining("max_attempts");
    assertThatThrownBy(() -> validDefinition().priority(5000).build())
        .hasMessageContaining("priority");
    assertThatThrownBy(() -> validDefinition().timeoutSeconds(0).build())
        .hasMessageContaining("timeout_seconds");
    assertThatThrownBy(() -> validDefinition().parallelism(0).build())
        .hasMessageContaining("parallelism");
  }

  private static JobDefinitionBuilder validDefinition() {
    return JobDefinition.builder().name("n").type("t").project("p").queue("q");
  }

  @Test
  void jobIdsParseOnlyUuids() {
    assertThat(JobId.parse("3c90c3cc-0d44-4b50-8888-8dd25736052a").toString())
        .isEqualTo("3c90c3cc-0d44-4b50-8888-8dd25736052a");
    assertThatThrownBy(() -> JobId.parse("job_9876543210")).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> JobId.parse("1-1-1-1-1")).isInstanceOf(DomainException.class);
  }

  @Test
  void stopModesIncludeSeedCheckpointAsGraceful() {
    assertThat(StopMode.parse("checkpoint")).isEqualTo(StopMode.GRACEFUL);
    assertThat(StopMode.parse(null)).isEqualTo(StopMode.GRACEFUL);
    assertThatThrownBy(() -> StopMode.parse("kill")).isInstanceOf(DomainException.class);
  }
}
