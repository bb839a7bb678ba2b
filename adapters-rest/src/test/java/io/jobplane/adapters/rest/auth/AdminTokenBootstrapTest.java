package io.jobplane.adapters.rest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTokenBootstrapTest {

  @TempDir Path dir;

  @Test
  void generates_a_32_byte_base64url_token_in_a_file_only_the_owner_can_read() throws Exception {
    Path data = dir.resolve("data");
    String token = AdminTokenBootstrap.ensureAdminToken(data);

    assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    Path file = data.resolve(AdminTokenBootstrap.FILE_NAME);
    assertThat(Files.readString(file).trim()).isEqualTo(token);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void the_second_call_returns_the_same_token() {
    String first = AdminTokenBootstrap.ensureAdminToken(dir);
    String second = AdminTokenBootstrap.ensureAdminToken(dir);
    assertThat(second).isEqualTo(first);
    assertThat(AdminTokenBootstrap.ensureAdminToken(dir.resolve("other"))).isNotEqualTo(first);
  }

  @Test
  void the_token_authenticates_as_admin() {
    String token = AdminTokenBootstrap.ensureAdminToken(dir);
    TokenRegistry registry =
        TokenRegistry.of(List.of(TokenEntry.forToken("admin", token, Set.of(Role.ADMIN), null)));
    assertThat(registry.authenticate(token).orElseThrow().has(Role.ADMIN)).isTrue();
  }

  @Test
  void an_empty_token_file_is_a_clear_error() throws Exception {
    Files.writeString(dir.resolve(AdminTokenBootstrap.FILE_NAME), "\n");
    assertThatThrownBy(() -> AdminTokenBootstrap.ensureAdminToken(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("empty");
  }
}
