package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script of the chart's {@code helm test} Pod (charts/jobplane/files/api-test.sh), run as the
 * Pod runs it ({@code /bin/sh -c}, curl) against a real server: it passes, leaves no job behind,
 * and never prints the token it presents.
 */
class HelmTestScriptE2EIT {

  private static final Path SCRIPT =
      Path.of("..", "charts", "jobplane", "files", "api-test.sh").toAbsolutePath();

  @TempDir static Path dir;
  static JobplaneProcess server;
  static Tokens tokens;

  @BeforeAll
  static void start() throws Exception {
    tokens =
        new Tokens()
            .add("admin", Role.ADMIN)
            .add("smoke", Role.SUBMITTER, "smoke-tests")
            .add("viewer", Role.VIEWER);
    Path tokensFile = tokens.write(dir.resolve("tokens"));
    server = JobplaneProcess.start(dir.resolve("data"), "--tokens-file", tokensFile.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  record Run(int exitCode, String output) {}

  private static Run runScript(String token, String project) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-c", Files.readString(SCRIPT)).redirectErrorStream(true);
    builder
        .environment()
        .putAll(
            Map.of(
                "JOBPLANE_URL", server.baseUrl(),
                "JOBPLANE_PROJECT", project,
                "JOBPLANE_TOKEN", token));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void withASubmitterTokenTheScriptPassesAndLeavesNoJobBehind() throws Exception {
    String token = tokens.token("smoke");

    Run run = runScript(token, "smoke-tests");

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("{\"status\":\"UP\"}", "POST /api/v1/jobs: submitted ", ": SUSPENDED", ": done")
        .doesNotContain(token);
    JsonNode left = get("/api/v1/jobs?type=helm-test&project=smoke-tests", tokens.token("admin"));
    assertThat(left.get("items")).as("the test job is deleted").isEmpty();
  }

  @Test
  void aTokenThatMayNotSubmitFailsTheTestWithTheProblemAndNotTheToken() throws Exception {
    String token = tokens.token("viewer");

    Run run = runScript(token, "default");

    assertThat(run.exitCode()).isNotZero();
    List<String> lines = run.output().lines().toList();
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).startsWith("POST /api/v1/jobs: {").contains("403"));
    assertThat(run.output()).doesNotContain(token);
  }

  private static JsonNode get(String path, String token) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Api.JSON.readTree(response.body());
  }
}
