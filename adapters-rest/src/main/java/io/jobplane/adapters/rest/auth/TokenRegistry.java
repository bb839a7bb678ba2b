package io.jobplane.adapters.rest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Sha256;
import io.jobplane.domain.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API tokens the server accepts. Only SHA-256 hashes are held; a presented token is hashed and
 * compared against every entry in constant time, so neither timing nor an early exit tells how
 * close a guess was.
 */
public final class TokenRegistry {

  private static final Set<String> ENTRY_FIELDS = Set.of("name", "sha256", "roles", "projects");

  private record Known(TokenEntry entry, byte[] hash, Caller caller) {}

  private final List<Known> known;

  private TokenRegistry(List<TokenEntry> entries) {
    List<Known> list = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (TokenEntry e : entries) {
      if (!names.add(e.name())) {
        throw new IllegalArgumentException("token name '" + e.name() + "' appears twice");
      }
      if (!hashes.add(e.sha256Hex())) {
        throw new IllegalArgumentException(
            "token '" + e.name() + "' has the same sha256 as another token");
      }
      list.add(new Known(e, e.hash(), new Caller(e.name(), e.roles(), e.projects())));
    }
    this.known = List.copyOf(list);
  }

  public static TokenRegistry of(List<TokenEntry> entries) {
    return new TokenRegistry(List.copyOf(entries));
  }

  /**
   * Reads a tokens file: {@code {"tokens":[{"name":"ci","sha256":"<hex>","roles":["submitter"],
   * "projects":["etl"]}]}}; {@code projects} is optional (absent = every project).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static TokenRegistry load(Path tokensFile) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(tokensFile));
    } catch (IOException e) {
      throw bad(tokensFile, "cannot be read as JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bad(tokensFile, "must be a JSON object with a \"tokens\" array");
    }
    JsonNode tokens = root.get("tokens");
    if (tokens == null || !tokens.isArray()) {
      throw bad(tokensFile, "must have a \"tokens\" array");
    }
    List<TokenEntry> entries = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      String where = "tokens[" + i + "]";
      JsonNode t = tokens.get(i);
      if (!t.isObject()) {
        throw bad(tokensFile, where + " must be an object");
      }
      for (Iterator<String> it = t.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!ENTRY_FIELDS.contains(field)) {
          throw bad(
              tokensFile,
              where
                  + " has unknown field \""
                  + field
                  + "\"; allowed: name, sha256, roles, projects");
        }
      }
      String name = text(tokensFile, t, "name", where);
      String sha = text(tokensFile, t, "sha256", where);
      Set<Role> roles = new LinkedHashSet<>();
      for (String r : strings(tokensFile, t.get("roles"), where + ".roles", true)) {
        try {
          roles.add(Role.parse(r));
        } catch (IllegalArgumentException e) {
          throw bad(
              tokensFile,
              where
                  + ".roles has unknown role \""
                  + r
                  + "\"; expected viewer, submitter, worker,"
                  + " metrics or admin");
        }
      }
      Set<String> projects =
          t.has("projects")
              ? new LinkedHashSet<>(
                  strings(tokensFile, t.get("projects"), where + ".projects", false))
              : null;
      if (projects != null) {
        // a name no job can carry (such as "projA") would make the token silently see nothing
        for (String p : projects) {
          try {
            Text.identifier(p, "project");
          } catch (DomainException e) {
            throw bad(
                tokensFile,
                where
                    + ".projects has \""
                    + p
                    + "\", which no job can carry: a project name is lowercase letters, digits,"
                    + " '-', '_' and '.', 1 to 63 characters, starting and ending with a letter or"
                    + " digit");
          }
        }
      }
      try {
        entries.add(new TokenEntry(name, sha, roles, projects));
      } catch (IllegalArgumentException e) {
        throw bad(tokensFile, where + ": " + e.getMessage());
      }
    }
    try {
      return of(entries);
    } catch (IllegalArgumentException e) {
      throw bad(tokensFile, e.getMessage());
    }
  }

  private static String text(Path file, JsonNode node, String field, String where) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw bad(file, where + "." + field + " must be a non-empty string");
    }
    return v.asText();
  }

  private static List<String> strings(Path file, JsonNode node, String where, boolean nonEmpty) {
    if (node == null || !node.isArray() || (nonEmpty && node.isEmpty())) {
      throw bad(
          file, where + " must be " + (nonEmpty ? "a non-empty" : "an") + " array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode v : node) {
      if (!v.isTextual() || v.asText().isBlank()) {
        throw bad(file, where + " must contain only non-empty strings");
      }
      values.add(v.asText());
    }
    return values;
  }

  private static IllegalArgumentException bad(Path file, String problem) {
    return new IllegalArgumentException("tokens file " + file + ": " + problem);
  }

  /** The caller a presented token belongs to, if any. */
  public Optional<Caller> authenticate(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Optional.empty();
    }
    return authenticateSha256(Sha256.of(presentedToken));
  }

  /**
   * The caller whose token has this SHA-256, if any. Takes the digest so that a request hashes its
   * token once, for this comparison and for the verification cache.
   */
  Optional<Caller> authenticateSha256(byte[] presented) {
    Caller match = null;
    for (Known k : known) { // no early exit: every entry is compared
      if (constantTimeEquals(presented, k.hash())) {
        match = k.caller();
      }
    }
    return Optional.ofNullable(match);
  }

  static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  public List<TokenEntry> entries() {
    return known.stream().map(Known::entry).toList();
  }

  public int size() {
    return known.size();
  }
}
