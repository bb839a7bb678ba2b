package io.jobplane.adapters.rest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenRegistryTest {

  @TempDir Path dir;

  private static String sha(String token) {
    return HexFormat.of().formatHex(Sha256.of(token));
  }

  private Path file(String json) throws Exception {
    Path f = dir.resolve("tokens.json");
    Files.writeString(f, json);
    return f;
  }

  @Test
  void loads_entries_and_authenticates_by_hash() throws Exception {
    TokenRegistry registry =
        TokenRegistry.load(
            file(
                "{\"tokens\":["
                    + "{\"name\":\"ci\",\"sha256\":\""
                    + sha("ci-token")
                    + "\",\"roles\":[\"submitter\"],"
                    + "\"projects\":[\"etl\"]},"
                    + "{\"name\":\"ops\",\"sha256\":\""
                    + sha("ops-token").toUpperCase()
                    + "\",\"roles\":[\"viewer\",\"ADMIN\"]}]}"));

    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.authenticate("ci-token"))
        .contains(new Caller("ci", Set.of(Role.SUBMITTER), Set.of("etl")));
    Caller ops = registry.authenticate("ops-token").orElseThrow();
    assertThat(ops.projects()).isNull();
    assertThat(ops.roles()).containsExactlyInAnyOrder(Role.VIEWER, Role.ADMIN);
    assertThat(registry.authenticate("ci-token ")).isEmpty();
    assertThat(registry.authenticate("nope")).isEmpty();
    assertThat(registry.authenticate("")).isEmpty();
    assertThat(registry.authenticate(null)).isEmpty();
  }

  @Test
  void keeps_only_hashes() {
    TokenEntry entry = TokenEntry.forToken("admin", "plain-secret", Set.of(Role.ADMIN), null);
    assertThat(entry.sha256Hex()).isEqualTo(sha("plain-secret")).doesNotContain("plain-secret");
    assertThat(entry.toString()).doesNotContain("plain-secret");
  }

  @Test
  void comparison_is_constant_time_via_message_digest_is_equal() {
    byte[] a = Sha256.of("a");
    byte[] b = Sha256.of("b");
    assertThat(TokenRegistry.constantTimeEquals(a, a.clone())).isTrue();
    assertThat(TokenRegistry.constantTimeEquals(a, b)).isFalse();
    assertThat(TokenRegistry.constantTimeEquals(a, new byte[0])).isFalse();
    assertThat(TokenRegistry.constantTimeEquals(a, b))
        .isEqualTo(java.security.MessageDigest.isEqual(a, b));
  }

  @Test
  void of_refuses_duplicate_names_and_hashes() {
    TokenEntry one = TokenEntry.forToken("a", "t1", Set.of(Role.VIEWER), null);
    assertThatThrownBy(
            () ->
                TokenRegistry.of(
                    List.of(one, TokenEntry.forToken("a", "t2", Set.of(Role.VIEWER), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("appears twice");
    assertThatThrownBy(
            () ->
                TokenRegistry.of(
                    List.of(one, TokenEntry.forToken("b", "t1", Set.of(Role.VIEWER), null))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same sha256");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|cannot be read as JSON",
        "[]|must be a JSON object",
        "{}|\"tokens\" array",
        "{\"tokens\":[1]}|tokens[0] must be an object",
        "{\"tokens\":[{\"sha256\":\"HASH\",\"roles\":[\"viewer\"]}]}|tokens[0].name",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"abc\",\"roles\":[\"viewer\"]}]}|64 hexadecimal",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[]}]}|tokens[0].roles",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"god\"]}]}|unknown role \"god\"",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"viewer\"],\"project\":[\"a\"]}]}|unknown field \"project\"",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"viewer\"],\"projects\":\"a\"}]}|tokens[0].projects",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"viewer\"],\"projects\":[\"etl\",\"projA\"]}]}|tokens[0].projects has \"projA\", which no job can carry",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"viewer\"],\"projects\":[\"-a\"]}]}|tokens[0].projects has \"-a\"",
        "{\"tokens\":[{\"name\":\"x\",\"sha256\":\"HASH\",\"roles\":[\"viewer\"]},{\"name\":\"x\",\"sha256\":\"HASH2\",\"roles\":[\"viewer\"]}]}|appears twice"
      })
  void a_bad_file_is_a_clear_error_naming_the_file(String json, String problem) throws Exception {
    Path f = file(json.replace("HASH2", sha("other")).replace("HASH", sha("t")));
    assertThatThrownBy(() -> TokenRegistry.load(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining(problem);
  }

  @Test
  void a_missing_file_is_a_clear_error() {
    Path missing = dir.resolve("absent.json");
    assertThatThrownBy(() -> TokenRegistry.load(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }
}
