package io.jobplane.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.SecretCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsKeysTest {

  @TempDir Path dataDir;

  @Test
  void theFirstStartGeneratesAnOwnerOnlyKeyThatLaterStartsReuse() throws Exception {
    SecretCipher first = SecretsKeys.cipher(null, dataDir, Map.of());
    Path file = dataDir.resolve(SecretsKeys.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    SecretCipher again = SecretsKeys.cipher(null, dataDir, Map.of());
    assertThat(again.keyId()).isEqualTo(first.keyId());
    byte[] aad = SecretCipher.aad("p", "s", "K");
    assertThat(again.open(first.seal("v", aad), aad)).isEqualTo("v");
  }

  @Test
  void theEnvironmentWinsAndABadKeyIsRefusedWithoutQuotingIt() {
    byte[] key = SecretCipher.generateKey();
    String base64 = Base64.getEncoder().encodeToString(key);
    assertThat(SecretsKeys.cipher(null, dataDir, Map.of(SecretsKeys.ENV, base64)).keyId())
        .isEqualTo(SecretCipher.keyId(key));
    assertThat(dataDir.resolve(SecretsKeys.FILE_NAME)).doesNotExist();
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> SecretsKeys.cipher(null, dataDir, Map.of(SecretsKeys.ENV, shortKey)))
        .hasMessageContaining("32 bytes")
        .hasMessageNotContaining(shortKey);
    assertThatThrownBy(
            () -> SecretsKeys.cipher(null, dataDir, Map.of(SecretsKeys.ENV, "not base64 !!")))
        .hasMessageNotContaining("not base64 !!");
  }

  @Test
  void aNamedKeyFileMustExist() throws Exception {
    Path missing = dataDir.resolve("nope.key");
    assertThatThrownBy(() -> SecretsKeys.cipher(missing, dataDir, Map.of()))
        .hasMessageContaining("nope.key");
    assertThat(missing).doesNotExist();
    Path given = dataDir.resolve("given.key");
    byte[] key = SecretCipher.generateKey();
    Files.writeString(given, Base64.getEncoder().encodeToString(key) + "\n");
    assertThat(SecretsKeys.cipher(given, dataDir, Map.of()).keyId())
        .isEqualTo(SecretCipher.keyId(key));
  }
}
