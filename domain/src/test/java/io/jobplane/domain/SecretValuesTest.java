package io.jobplane.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretValuesTest {

  @Test
  void aSecretReferenceNamesADnsLabelAndAVariableLikeKey() {
    SecretRef ref = new SecretRef("db-prod", "PASSWORD_1");
    assertThat(ref.secret()).isEqualTo("db-prod");
    assertThat(ref.key()).isEqualTo("PASSWORD_1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Upper", "-lead", "trail-", "dots.not.allowed", "under_score"})
  void aSecretNameThatIsNoDnsLabelIsRefused(String name) {
    assertThatThrownBy(() -> new SecretRef(name, "k"))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("secret"));
  }

  @Test
  void aSecretNameLongerThanALabelIsRefused() {
    assertThatThrownBy(() -> new SecretRef("a".repeat(64), "k"))
        .isInstanceOf(DomainException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1ABC", "has-dash", "has space", "a.b"})
  void aKeyThatIsNoVariableNameIsRefused(String key) {
    assertThatThrownBy(() -> new SecretRef("db", key))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("key"));
  }

  @Test
  void secretDataNamesEveryBadKeyAtOnce() {
    Map<String, String> data = new HashMap<>();
    data.put("GOOD", "x");
    data.put("bad-key", "x");
    data.put("NUL", "a\0b");
    assertThatThrownBy(() -> new SecretData(data))
        .isInstanceOfSatisfying(
            DomainException.class,
            e ->
                assertThat(e.errors())
                    .extracting(DomainException.FieldError::field)
                    .containsExactlyInAnyOrder("data.bad-key", "data.NUL"));
  }

  @Test
  void secretDataIsAtMost64KiBAndNeverEmpty() {
    assertThat(new SecretData(Map.of("K", "v".repeat(SecretData.MAX_BYTES - 1))).values())
        .containsOnlyKeys("K");
    assertThatThrownBy(() -> new SecretData(Map.of("K", "v".repeat(SecretData.MAX_BYTES))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("65536 bytes");
    assertThatThrownBy(() -> new SecretData(Map.of())).isInstanceOf(DomainException.class);
    assertThatThrownBy(() -> new SecretData(null)).isInstanceOf(DomainException.class);
  }

  @Test
  void secretDataShowsItsKeysButNeverItsValues() {
    assertThat(new SecretData(Map.of("PASSWORD", "hunter2")).toString())
        .contains("PASSWORD")
        .doesNotContain("hunter2");
  }

  @Test
  void aCommandKeepsSecretReferencesApartFromPlainVariables() {
    WorkerCommand c =
        new WorkerCommand(
            List.of("run"),
            Map.of("MODE", "fast"),
            Map.of("DB_PASSWORD", new SecretRef("db", "pw")));
    assertThat(c.env()).containsOnlyKeys("MODE");
    assertThat(c.secretEnv()).containsEntry("DB_PASSWORD", new SecretRef("db", "pw"));
    assertThat(c.referencesSecrets()).isTrue();
    assertThat(new WorkerCommand(List.of("run"), Map.of("A", "b")).referencesSecrets()).isFalse();
  }

  @Test
  void aVariableIsEitherPlainOrASecretReference() {
    assertThatThrownBy(
            () ->
                new WorkerCommand(
                    List.of("run"), Map.of("X", "1"), Map.of("X", new SecretRef("db", "pw"))))
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("env.X"));
    assertThatThrownBy(
            () -> new WorkerCommand(List.of("run"), null, Map.of("1X", new SecretRef("db", "pw"))))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void plainAndSecretVariablesShareTheLimitOf128() {
    Map<String, String> plain = new HashMap<>();
    for (int i = 0; i < WorkerCommand.MAX_ENV; i++) {
      plain.put("V" + i, "x");
    }
    assertThatThrownBy(
            () ->
                new WorkerCommand(
                    List.of("run"), plain, Map.of("ONE_MORE", new SecretRef("db", "pw"))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("at most 128");
  }

  @Test
  void aKubernetesPlacementKeepsItsSecretReferencesWhenItIsNamed() {
    KubernetesPlacement p =
        new KubernetesPlacement("ml", null, "{}", Map.of("TOKEN", new SecretRef("hf", "token")));
    KubernetesPlacement named = p.withResourceName("job-1");
    assertThat(named.resourceName()).isEqualTo("job-1");
    assertThat(named.secretEnv()).containsEntry("TOKEN", new SecretRef("hf", "token"));
    assertThat(new KubernetesPlacement("ml", "x", "{}").secretEnv()).isEmpty();
  }
}
