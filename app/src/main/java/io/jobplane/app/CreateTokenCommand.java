package io.jobplane.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobplane.adapters.persistence.DatabaseConfig;
import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.adapters.rest.auth.TokenEntry;
import io.jobplane.application.port.in.ApiTokensUseCase.IssuedToken;
import io.jobplane.application.port.in.IssueTokenCommand;
import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.TokenGrant;
import io.jobplane.application.service.ApiTokensService;
import io.jobplane.domain.DomainException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "create-token",
    mixinStandardHelpOptions = true,
    description = {
      "Generates an API token and prints it once.",
      "By default it prints the entry to add to the --tokens-file: only the SHA-256 hash goes"
          + " into the file; keep the token itself secret.",
      "With --server it issues the token through the API (POST /api/v1/tokens, with an admin"
          + " token); with --database-url it writes it into the database directly. Either way only"
          + " its SHA-256 is stored, and it can expire (--expires-in-seconds) and be revoked"
          + " (DELETE /api/v1/tokens/{id})."
    })
final class CreateTokenCommand implements Callable<Integer> {

  static final String TOKEN_ENV = "JOBPLANE_TOKEN";

  /** Flyway holds one connection for its lock while it migrates on another. */
  private static final int POOL_SIZE = 2;

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

  @Option(
      names = "--expires-in-seconds",
      description = "Lifetime of the token (with --server or --database-url; default: none).")
  Long expiresInSeconds;

  @ArgGroup(exclusive = true)
  Destination destination;

  static final class Destination {
    @Option(
        names = "--server",
        description = "Issue the token through this server's API, e.g.%nhttp://localhost:8080")
    URI server;

    @Option(
        names = "--database-url",
        description = "Write the token into this PostgreSQL (JDBC URL) directly.")
    String databaseUrl;
  }

  @Option(
      names = "--token-file",
      description = "With --server: file holding an admin token (else $" + TOKEN_ENV + ").")
  Path tokenFile;

  @Option(
      names = "--token",
      description =
          "With --server: the admin token itself. Other users may see it in the process list;"
              + " prefer --token-file or $"
              + TOKEN_ENV
              + ".")
  String token;

  @Mixin DatabaseUserOption user;

  @Option(
      names = "--database-password-file",
      description = "File holding the password of --database-user.")
  Path databasePasswordFile;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public Integer call() throws Exception {
    if (destination == null) {
      if (expiresInSeconds != null) {
        throw new IllegalArgumentException(
            "--expires-in-seconds needs --server or --database-url: tokens-file entries do not"
                + " expire");
      }
      printTokensFileEntry();
      return 0;
    }
    try {
      return destination.server != null ? viaApi() : viaDatabase();
    } catch (DomainException e) {
      System.err.println("create-token: " + e.getMessage());
      return 1;
    }
  }

  private void printTokensFileEntry() throws IOException {
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
    System.out.println(JSON.writeValueAsString(json));
  }

  /** POST /api/v1/tokens as an admin; the server answers with the secret, shown here once. */
  private int viaApi() throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    ArrayNode roleNames = body.putArray("roles");
    roles.forEach(r -> roleNames.add(r.name().toLowerCase(Locale.ROOT)));
    if (projects != null) {
      ArrayNode p = body.putArray("projects");
      projects.forEach(p::add);
    }
    if (expiresInSeconds != null) {
      body.put("expires_in_seconds", expiresInSeconds);
    }
    HttpRequest request =
        HttpRequest.newBuilder(destination.server.resolve("/api/v1/tokens"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminToken())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build();
    HttpResponse<String> answer =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .build()
            .send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json = answer.body().isEmpty() ? null : JSON.readTree(answer.body());
    if (answer.statusCode() != 201 || json == null || !json.hasNonNull("token")) {
      // a problem document: what was wrong, never a secret
      System.err.printf(
          "create-token: %s answered %d: %s%n",
          destination.server,
          answer.statusCode(),
          json != null && json.has("detail") ? json.get("detail").asText() : answer.body());
      return 1;
    }
    System.out.println("token: " + ((ObjectNode) json).remove("token").asText());
    System.out.println(JSON.writeValueAsString(json));
    return 0;
  }

  private String adminToken() throws IOException {
    String admin;
    if (tokenFile != null) {
      admin = CliFiles.readToken(tokenFile, "--token-file");
    } else if (token != null) {
      admin = token.strip();
    } else {
      admin = System.getenv(TOKEN_ENV);
    }
    if (admin == null || admin.isEmpty()) {
      throw new IllegalArgumentException(
          "--server needs an admin token: --token-file, --token or $" + TOKEN_ENV);
    }
    return admin;
  }

  /** Straight into the store, as the server would (migrating the schema first if it is older). */
  private int viaDatabase() throws IOException {
    String password =
        databasePasswordFile == null
            ? null
            : Files.readString(databasePasswordFile, StandardCharsets.UTF_8).strip();
    TokenGrant grant =
        new TokenGrant(name, Set.copyOf(roles), projects == null ? null : Set.copyOf(projects));
    try (PostgresStore store =
        PostgresStore.open(
            new DatabaseConfig(destination.databaseUrl, user.databaseUser, password, POOL_SIZE),
            null)) {
      IssuedToken issued =
          new ApiTokensService(store.apiTokens(), Clock.systemUTC())
              .issue(
                  Caller.admin("create-token"),
                  new IssueTokenCommand(
                      grant,
                      null,
                      expiresInSeconds == null ? null : Duration.ofSeconds(expiresInSeconds)));
      System.out.println("token: " + issued.secret());
      System.out.println(JSON.writeValueAsString(metadata(issued.token())));
    }
    return 0;
  }

  private static Map<String, Object> metadata(ApiToken t) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", t.id().toString());
    json.put("name", t.grant().name());
    json.put(
        "roles",
        t.grant().roles().stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList());
    json.put(
        "projects",
        t.grant().projects() == null ? null : t.grant().projects().stream().sorted().toList());
    json.put("created_at", t.createdAt().toString());
    json.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
    return json;
  }
}
