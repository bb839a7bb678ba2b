package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens kept in the database (issue 12), against two real servers sharing one database: a
 * token issued through the API or by {@code jobplane create-token} works at once on both, and after
 * {@code DELETE /api/v1/tokens/{id}} is refused at once by the server that revoked it and within 5
 * s by the other; an expired token is refused; only an admin issues tokens.
 */
class TokensE2EIT {

  @TempDir static Path dataDir;
  @TempDir static Path otherDataDir;
  static JobplaneProcess server;
  static JobplaneProcess other;
  static Api admin;
  static String jdbcUrl;
  static Path passwordFile;

  @BeforeAll
  static void start() throws Exception {
    server = JobplaneProcess.start(dataDir);
    admin = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
    JobplaneProcess.EmbeddedDatabase database = server.embeddedDatabase();
    jdbcUrl = database.jdbcUrl();
    passwordFile = database.passwordFile();
    other = server.replica(otherDataDir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (other != null) {
      other.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private static JsonNode issue(String body) throws Exception {
    Api.Response r = admin.post("/api/v1/tokens", body);
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body();
  }

  private static int status(JobplaneProcess at, String token) throws Exception {
    return new Api(at.baseUrl(), token).get("/api/v1/jobs").status();
  }

  @Test
  void aTokenIssuedThroughTheApiWorksAndAfterDeleteIsRefusedWithin5Seconds() throws Exception {
    JsonNode issued = issue("{\"name\":\"revoked-reader\",\"roles\":[\"viewer\"]}");
    String token = issued.get("token").asText();
    String id = issued.get("id").asText();
    // both servers accept it (and remember that for their cache window)
    assertThat(status(server, token)).isEqualTo(200);
    assertThat(status(other, token)).isEqualTo(200);

    assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
    long revoked = System.nanoTime();

    // the server that revoked it forgets at once
    Api.Response refused = new Api(server.baseUrl(), token).get("/api/v1/jobs");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.raw()).doesNotContain("revoked", token);
    // the other one within its cache window
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status(other, token) == 401);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked)).isLessThan(5_000);

    JsonNode shown = admin.get("/api/v1/tokens/" + id).body();
    assertThat(shown.get("revoked_at").isNull()).isFalse();
    assertThat(shown.get("last_used_at").isNull()).isFalse();
    assertThat(shown.toString()).doesNotContain(token);
    assertThat(admin.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    JsonNode issued =
        issue("{\"name\":\"short-lived\",\"roles\":[\"viewer\"],\"expires_in_seconds\":2}");
    String token = issued.get("token").asText();
    assertThat(issued.get("expires_at").asText()).isNotBlank();

    // expiry plus at most one cache window
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> status(server, token) == 401 && status(other, token) == 401);
    Api.Response refused = new Api(server.baseUrl(), token).get("/api/v1/jobs");
    assertThat(refused.raw()).doesNotContain("expire");
  }

  @Test
  void aNonAdminCannotIssueTokens() throws Exception {
    String submitter =
        issue("{\"name\":\"ci-submitter\",\"roles\":[\"submitter\",\"viewer\"]}")
            .get("token")
            .asText();
    Api asSubmitter = new Api(server.baseUrl(), submitter);

    Api.Response r =
        asSubmitter.post("/api/v1/tokens", "{\"name\":\"escalated\",\"roles\":[\"admin\"]}");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(asSubmitter.get("/api/v1/tokens").status()).isEqualTo(403);
    assertThat(admin.get("/api/v1/tokens").raw()).doesNotContain("escalated");
  }

  @Test
  void createTokenIssuesAPerProjectWorkerTokenThroughTheApiOrTheDatabase() throws Exception {
    List<String> viaApi =
        createToken(
            "--name",
            "etl-worker",
            "--role",
            "worker",
            "--project",
            "etl",
            "--server",
            server.baseUrl(),
            "--token-file",
            dataDir.resolve("admin.token").toString());
    List<String> viaDatabase =
        createToken(
            "--name",
            "etl-viewer",
            "--role",
            "viewer",
            "--project",
            "etl",
            "--database-url",
            jdbcUrl,
            "--database-password-file",
            passwordFile.toString());

    String worker = secret(viaApi);
    String viewer = secret(viaDatabase);
    // a worker token claims (an empty queue here) and reads no jobs
    Api.Response claim =
        new Api(other.baseUrl(), worker)
            .post(
                "/api/v1/leases",
                "{\"worker_id\":\"w1\",\"queues\":[\"nothing-here\"],\"max_tasks\":1}");
    assertThat(claim.status()).as(claim.raw()).isEqualTo(200);
    assertThat(status(server, worker)).isEqualTo(403);
    assertThat(status(server, viewer)).isEqualTo(200);
    JsonNode listed = admin.get("/api/v1/tokens").body();
    assertThat(listed.toString())
        .contains("etl-worker", "etl-viewer")
        .doesNotContain(worker, viewer);
  }

  /** Runs {@code jobplane create-token} as its own process; its output, or a failure. */
  private static List<String> createToken(String... args) throws Exception {
    List<String> command = JobplaneProcess.cli("-Xmx128m", "create-token");
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try {
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().toList();
  }

  private static String secret(List<String> output) {
    return output.stream()
        .filter(l -> l.startsWith("token: jpt_"))
        .map(l -> l.substring("token: ".length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no token in " + output));
  }
}
