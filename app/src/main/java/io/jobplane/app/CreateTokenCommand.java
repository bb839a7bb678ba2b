package io.jobplane.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.application.security.Role;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "create-token",
    mixinStandardHelpOptions = true,
    description = {
      "Generates an API token and prints it with the entry to add to the --tokens-file.",
      "Only the SHA-256 hash goes into the file; keep the token itself secret."
    })
final class CreateTokenCommand implements Callable<Integer> {

  @Option(names = "--name", required = true, description = "Who or what uses the token.")
  String name;

  @Option(
      names = "--role",
      required = true,
      split = ",",
      description = "Roles: viewer, submitter, worker, metrics, admin.")
  List<Role> roles;

  @Option(
      names = "--project",
      split = ",",
      description = "Projects the token may see (default: all).")
  List<String> projects;

  @Override
  public Integer call() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = "jp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    TokenEntry entry =
        TokenEntry.forToken(
            name, token, Set.copyOf(roles), projects == null ? null : Set.copyOf(projects));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", entry.name());
    json.put("sha256", entry.sha256Hex());
    json.put(
        "roles",
        entry.roles().stream()
            .map(r -> r.name().toLowerCase())
            .sorted()
            .collect(Collectors.toList()));
    if (entry.projects() != null) {
      json.put("projects", entry.projects().stream().sorted().collect(Collectors.toList()));
    }
    System.out.println("token: " + token);
    System.out.println("tokens-file entry:");
    System.out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
    return 0;
  }
}
