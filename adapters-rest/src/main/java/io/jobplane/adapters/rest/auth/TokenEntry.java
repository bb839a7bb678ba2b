package io.jobplane.adapters.rest.auth;

import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One API token as configured: only the SHA-256 of the token is kept. {@code projects} null means
 * every project.
 */
public record TokenEntry(String name, String sha256Hex, Set<Role> roles, Set<String> projects) {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  public TokenEntry {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("token name must not be empty");
    }
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    sha256Hex = sha256Hex.trim().toLowerCase(Locale.ROOT);
    if (!HEX64.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException(
          "token '" + name + "': sha256 must be 64 hexadecimal characters");
    }
    if (roles == null || roles.isEmpty()) {
      throw new IllegalArgumentException("token '" + name + "': at least one role is required");
    }
    roles = Set.copyOf(roles);
    projects = projects == null ? null : Set.copyOf(projects);
  }

  /** An entry for a token known in plain text (e.g. the bootstrap admin token). */
  public static TokenEntry forToken(
      String name, String plainToken, Set<Role> roles, Set<String> projects) {
    if (plainToken == null || plainToken.isEmpty()) {
      throw new IllegalArgumentException("token '" + name + "' must not be empty");
    }
    return new TokenEntry(name, Sha256.hex(plainToken), roles, projects);
  }

  byte[] hash() {
    return HexFormat.of().parseHex(sha256Hex);
  }
}
