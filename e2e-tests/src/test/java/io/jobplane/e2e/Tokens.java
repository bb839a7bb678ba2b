package io.jobplane.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.application.security.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A tokens file for {@code serve --tokens-file}: named tokens with roles and projects, so a suite
 * can act as a viewer, a submitter of one project or a worker, and the server's request log names
 * who called.
 */
final class Tokens {

  private final Map<String, String> plain = new LinkedHashMap<>();
  private final ArrayNode entries = Api.JSON.createArrayNode();

  /** Adds a token; {@code projects} null means every project. Returns the plain token. */
  Tokens add(String name, Role role, String... projects) {
    String token = "e2e-" + name + "-" + UUID.randomUUID();
    TokenEntry entry =
        TokenEntry.forToken(
            name, token, Set.of(role), projects.length == 0 ? null : Set.of(projects));
    ObjectNode e = entries.addObject().put("name", name).put("sha256", entry.sha256Hex());
    e.putArray("roles").add(role.name().toLowerCase(java.util.Locale.ROOT));
    if (entry.projects() != null) {
      ArrayNode p = e.putArray("projects");
      entry.projects().forEach(p::add);
    }
    plain.put(name, token);
    return this;
  }

  String token(String name) {
    String token = plain.get(name);
    if (token == null) {
      throw new IllegalArgumentException("no token named " + name);
    }
    return token;
  }

  /** Writes the tokens file, and each token to {@code <name>.token} beside it for workers. */
  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    ObjectNode root = Api.JSON.createObjectNode();
    root.set("tokens", entries);
    Path file = dir.resolve("tokens.json");
    Files.writeString(file, root.toPrettyString());
    for (Map.Entry<String, String> t : plain.entrySet()) {
      Files.writeString(dir.resolve(t.getKey() + ".token"), t.getValue());
    }
    return file;
  }
}
