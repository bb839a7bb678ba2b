package io.jobplane.application.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.SecretCipher.Sealed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private final byte[] key = SecretCipher.generateKey();
  private final SecretCipher cipher = new SecretCipher(key);
  private final byte[] aad = SecretCipher.aad("payments", "db", "PASSWORD");

  @Test
  void aSealedValueOpensToWhatWasSealed() {
    Sealed sealed = cipher.seal("s3cr3t – ünïcode", aad);
    assertThat(sealed.keyId()).isEqualTo(cipher.keyId()).hasSize(16);
    assertThat(sealed.nonce()).hasSize(12);
    assertThat(cipher.open(sealed, aad)).isEqualTo("s3cr3t – ünïcode");
    assertThat(new SecretCipher(key.clone()).open(sealed, aad))
        .as("the same key after a restart")
        .isEqualTo("s3cr3t – ünïcode");
  }

  @Test
  void theCiphertextHoldsNoPlainTextAndEverySealingUsesAFreshNonce() {
    Sealed a = cipher.seal("hunter2hunter2", aad);
    Sealed b = cipher.seal("hunter2hunter2", aad);
    assertThat(new String(a.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
    assertThat(a.nonce()).isNotEqualTo(b.nonce());
    assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
  }

  @Test
  void aChangedByteIsDetected() {
    Sealed sealed = cipher.seal("value", aad);
    byte[] bytes = sealed.ciphertext();
    bytes[0] ^= 1;
    Sealed tampered = new Sealed(sealed.keyId(), sealed.nonce(), bytes);
    assertThatThrownBy(() -> cipher.open(tampered, aad))
        .isInstanceOf(SecretCipher.UnreadableSecret.class);
    byte[] nonce = sealed.nonce();
    nonce[11] ^= 1;
    assertThatThrownBy(
            () -> cipher.open(new Sealed(sealed.keyId(), nonce, sealed.ciphertext()), aad))
        .isInstanceOf(SecretCipher.UnreadableSecret.class);
  }

  @Test
  void aValueMovedToAnotherProjectSecretOrKeyDoesNotOpen() {
    Sealed sealed = cipher.seal("value", aad);
    for (byte[] other :
        new byte[][] {
          SecretCipher.aad("other", "db", "PASSWORD"),
          SecretCipher.aad("payments", "db2", "PASSWORD"),
          SecretCipher.aad("payments", "db", "USER")
        }) {
      assertThatThrownBy(() -> cipher.open(sealed, other))
          .isInstanceOf(SecretCipher.UnreadableSecret.class)
          .hasMessageNotContaining("value");
    }
  }

  @Test
  void anotherKeyDoesNotOpenIt() {
    Sealed sealed = cipher.seal("value", aad);
    SecretCipher other = new SecretCipher(SecretCipher.generateKey());
    assertThatThrownBy(() -> other.open(sealed, aad))
        .isInstanceOf(SecretCipher.UnreadableSecret.class)
        .hasMessageContaining(cipher.keyId());
    // the other key's id on these bytes still fails on the tag
    assertThatThrownBy(
            () -> other.open(new Sealed(other.keyId(), sealed.nonce(), sealed.ciphertext()), aad))
        .isInstanceOf(SecretCipher.UnreadableSecret.class);
  }

  @Test
  void theKeyIsNeverShownAndMustBe256Bits() {
    String shown = cipher.toString() + cipher.seal("value", aad);
    assertThat(shown).contains(cipher.keyId());
    assertThat(shown).doesNotContain(java.util.Base64.getEncoder().encodeToString(key));
    assertThatThrownBy(() -> new SecretCipher(Arrays.copyOf(key, 16)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
