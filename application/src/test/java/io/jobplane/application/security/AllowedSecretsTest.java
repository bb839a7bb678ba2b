package io.jobplane.application.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.DomainException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllowedSecretsTest {

  private final AllowedSecrets allowed =
      new AllowedSecrets(Map.of("etl-prod", Set.of("db-creds", "s3-key"), "etl-dev", Set.of()));

  @Test
  void withoutAnAllowListEverySecretIsLeftToTheDenyList() {
    assertThat(AllowedSecrets.NONE.configured()).isFalse();
    assertThat(AllowedSecrets.NONE.allows("etl-prod", "anything")).isTrue();
  }

  @Test
  void aNamespaceMayReferenceOnlyTheSecretsOnItsList() {
    assertThat(allowed.allows("etl-prod", "db-creds")).isTrue();
    assertThat(allowed.allows("etl-prod", "other-team-password")).isFalse();
    assertThat(allowed.allows("etl-dev", "db-creds")).isFalse();
  }

  @Test
  void onceAnyNamespaceHasAListANamespaceWithoutOneMayReferenceNoSecret() {
    assertThat(allowed.allows("ml", "db-creds")).isFalse();
  }

  @Test
  void namesThatAreNotKubernetesNamesAreRefused() {
    assertThatThrownBy(() -> new AllowedSecrets(Map.of("etl-prod", Set.of("DB creds"))))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("'DB creds' of namespace etl-prod is not a Secret name");
  }
}
