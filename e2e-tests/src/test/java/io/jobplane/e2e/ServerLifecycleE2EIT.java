package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises of a single-machine install: one command starts everything, nothing acknowledged is
 * lost when the process is killed, and SIGTERM shuts it down cleanly.
 */
class ServerLifecycleE2EIT {

  private static final String JOB =
      "{\"name\":\"nightly import\",\"type\":\"etl\",\"project\":\"analytics\","
          + "\"labels\":{\"env\":\"prod\"},\"input\":{\"date\":\"2026-11-22\"}}";

  @TempDir Path dataDir;

  @Test
  void aSubmittedJobItsTimelineAndTheAdminTokenSurviveKillMinus9() throws Exception {
    String id;
    String token;
    JsonNode eventsBefore;
    try (JobplaneProcess first = JobplaneProcess.start(dataDir)) {
      token = JobplaneProcess.adminToken(dataDir);
      assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin.token")))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      Api api = new Api(first.baseUrl(), token);
      Api.Response created = api.post("/api/v1/jobs", JOB, "import-2026-11-22");
      assertThat(created.status()).isEqualTo(201);
      id = created.body().get("id").asText();
      assertThat(api.post("/api/v1/jobs/" + id + "/stop", "{\"mode\":\"graceful\"}").status())
          .isEqualTo(200);
      eventsBefore = api.get("/api/v1/jobs/" + id + "/events").body().get("items");
      assertThat(eventsBefore).hasSize(3);
      first.kill9();
    }

    try (JobplaneProcess second = JobplaneProcess.start(dataDir)) {
      assertThat(JobplaneProcess.adminToken(dataDir)).isEqualTo(token);
      Api api = new Api(second.baseUrl(), token);
      Api.Response job = api.get("/api/v1/jobs/" + id);
      assertThat(job.status()).isEqualTo(200);
      assertThat(job.body().get("status").asText()).isEqualTo("STOPPED");
      assertThat(job.body().get("labels").get("env").asText()).isEqualTo("prod");
      assertThat(api.get("/api/v1/jobs/" + id + "/events").body().get("items"))
          .isEqualTo(eventsBefore);
      Api.Response replay = api.post("/api/v1/jobs", JOB, "import-2026-11-22");
      assertThat(replay.status()).as("the idempotency key survived too").isEqualTo(200);
      assertThat(replay.body().get("id").asText()).isEqualTo(id);
      assertThat(api.get("/api/v1/jobs").body().get("total").asLong()).isEqualTo(1);
    }
  }

  @Test
  void sigtermLetsTheServerShutDownCleanly() throws Exception {
    JobplaneProcess server = JobplaneProcess.start(dataDir, "--log-format", "json");
    Api anonymous = new Api(server.baseUrl(), null);
    assertThat(anonymous.get("/readyz").status()).isEqualTo(200);
    server.terminate();
    assertThat(server.output()).anyMatch(line -> line.contains("Jobplane stopped"));
    assertThat(server.output())
        .filteredOn(line -> line.startsWith("{"))
        .isNotEmpty()
        .allSatisfy(line -> Api.JSON.readTree(line));
  }

  @Test
  void theEmbeddedDatabaseWantsAPasswordThatNoLogOrCommandLineShows() throws Exception {
    try (JobplaneProcess server = JobplaneProcess.start(dataDir, "--log-level", "debug")) {
      int port = embeddedDatabasePort(server.output());
      Path postgres = dataDir.resolve("postgres");
      String appPassword = Files.readString(postgres.resolve("jobplane.password")).strip();
      String superuserPassword = Files.readString(postgres.resolve("postgres.password")).strip();
      for (String user : List.of("postgres", "jobplane")) {
        assertThatThrownBy(() -> connect(port, user, null).close())
            .isInstanceOf(SQLException.class);
      }
      try (Connection c = connect(port, "jobplane", appPassword);
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = 'jobplane'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBoolean(1)).isFalse();
      }
      List<ProcessHandle> processes = new ArrayList<>();
      ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()))
          .forEach(processes::add);
      assertThat(processes).as("the server and its postmaster").isNotEmpty();
      server.terminate();
      for (String secret : List.of(appPassword, superuserPassword)) {
        assertThat(server.output()).noneMatch(line -> line.contains(secret));
        assertThat(processes).noneMatch(p -> p.info().commandLine().orElse("").contains(secret));
      }
    }
  }

  private static int embeddedDatabasePort(List<String> output) {
    Pattern started = Pattern.compile("Embedded PostgreSQL started on 127\\.0\\.0\\.1:(\\d+)");
    for (String line : output) {
      Matcher m = started.matcher(line);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    }
    throw new AssertionError("no embedded PostgreSQL port in the server output:\n" + output);
  }

  private static Connection connect(int port, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/jobplane", properties);
  }
}
