package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.domain.JobSnapshot;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the embedded PostgreSQL is no passwordless superuser. Each test starts its own server
 * in a directory of its own.
 */
class EmbeddedPostgresAccessIT {

  private Path root;
  private Path data;

  @BeforeEach
  void createDirectory() throws IOException {
    root = Files.createTempDirectory("jobplane-access-it");
    data = root.resolve("pgdata");
  }

  @AfterEach
  void deleteDirectory() {
    TestDatabase.deleteRecursively(root);
  }

  @Test
  void psqlWithoutThePasswordIsRefused() throws Exception {
    Assumptions.assumeTrue(onPath("psql"), "psql is not installed");
    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data)) {
      for (String user : List.of("postgres", "jobplane")) {
        Result tcp = psql("-h", "127.0.0.1", "-p", "" + db.port(), "-U", user, "-d", "jobplane");
        assertThat(tcp.exitCode()).as(tcp.output()).isNotZero();
        assertThat(tcp.output()).contains("no password supplied");
        // the default Unix socket (what plain `psql -U postgres` uses) does not exist
        Result socket = psql("-p", "" + db.port(), "-U", user, "-d", "jobplane");
        assertThat(socket.exitCode()).as(socket.output()).isNotZero();
      }
      Result withPassword =
          psqlWithPassword(
              password(EmbeddedPostgresAccess.APP_PASSWORD_FILE),
              "-h",
              "127.0.0.1",
              "-p",
              "" + db.port(),
              "-U",
              "jobplane",
              "-d",
              "jobplane",
              "-Atc",
              "SELECT current_user");
      assertThat(withPassword.output().strip()).isEqualTo("jobplane");
    }
  }

  @Test
  void aLoginWithoutAPasswordOrWithAWrongOneIsRefused() throws Exception {
    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data)) {
      for (String user : List.of("postgres", "jobplane")) {
        assertThatThrownBy(() -> connect(db, user, null).close())
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("no password was provided");
        assertThatThrownBy(() -> connect(db, user, "wrong").close())
            .isInstanceOf(SQLException.class)
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
      }
      try (Connection c = connect(db, "postgres", password("postgres.password"))) {
        assertThat(c.isValid(5)).isTrue();
      }
    }
  }

  @Test
  void theServerConnectsAsARoleThatIsNoSuperuserAndCannotRunPrograms() throws Exception {
    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null);
        Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      assertThat(db.config(2).user()).isEqualTo("jobplane");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolreplication,"
                  + " rolbypassrls, pg_has_role(current_user, 'pg_execute_server_program',"
                  + " 'MEMBER'), (SELECT count(*) FROM pg_auth_members WHERE member = r.oid)"
                  + " FROM pg_roles r WHERE rolname = current_user")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("jobplane");
        for (int column = 2; column <= 7; column++) {
          assertThat(rs.getBoolean(column)).as("column %d", column).isFalse();
        }
        assertThat(rs.getInt(8)).isZero();
      }
      assertThatThrownBy(() -> s.execute("COPY (SELECT 1) TO PROGRAM 'id'"))
          .isInstanceOf(SQLException.class)
          .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
    }
  }

  @Test
  void passwordFilesAreOwnerOnlyInAnOwnerOnlyDirectoryAndOnNoCommandLine() throws Exception {
    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data)))
          .isEqualTo("rwx------");
      List<String> passwords = new ArrayList<>();
      for (String file : List.of("postgres.password", "jobplane.password")) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(file))))
            .as(file)
            .isEqualTo("rw-------");
        passwords.add(password(file));
      }
      assertThat(passwords.get(0)).hasSizeGreaterThanOrEqualTo(43).isNotEqualTo(passwords.get(1));
      assertThat(Files.readString(data.resolve("pg_hba.conf")))
          .doesNotContainIgnoringCase("trust")
          .contains("scram-sha-256");
      ProcessHandle postmaster = EmbeddedPostgresDatabase.livePostmaster(data).orElseThrow();
      List<ProcessHandle> processes = new ArrayList<>(postmaster.descendants().toList());
      processes.add(postmaster);
      for (ProcessHandle p : processes) {
        String commandLine = p.info().commandLine().orElse("");
        for (String password : passwords) {
          assertThat(commandLine).doesNotContain(password);
        }
      }
      assertThat(db.config(2).toString()).doesNotContain(passwords.get(1));
    }
  }

  @Test
  void aDirectoryOfTheEarlierVersionIsUpgradedWithItsRowsAndThenNeedsAPassword() throws Exception {
    JobSnapshot old = createDirectoryOfTheEarlierVersion(data);

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(store.jobRepository().findById(old.id())).contains(old);
      JobSnapshot added = store.jobRepository().insert(TestJobs.job().restored());
      assertThat(store.jobRepository().findById(added.id())).contains(added);
      assertThat(objectsNotOwnedByTheAppRole(store)).isEmpty();
      assertThatThrownBy(() -> connect(db, "postgres", null).close())
          .isInstanceOf(SQLException.class);
      assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContainIgnoringCase("trust");
    }
  }

  @Test
  void anUpgradeCutOffPartWayCompletesOnTheNextStart() throws Exception {
    JobSnapshot old = createDirectoryOfTheEarlierVersion(data);
    // cut off after the password files and pg_hba.conf were written, before the roles had them
    Files.writeString(data.resolve("postgres.password"), "superuser-secret-from-a-crashed-start\n");
    Files.writeString(data.resolve("jobplane.password"), "app-secret-from-a-crashed-start\n");
    Files.writeString(data.resolve("pg_hba.conf"), EmbeddedPostgresAccess.PG_HBA);

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(db.config(2).password()).isEqualTo("app-secret-from-a-crashed-start");
      assertThat(store.jobRepository().findById(old.id())).contains(old);
      // cut off after the passwords were set, half-way through handing objects over
      try (Connection c = connect(db, "postgres", "superuser-secret-from-a-crashed-start");
          Statement s = c.createStatement()) {
        s.execute("ALTER TABLE jobs OWNER TO postgres");
        s.execute("ALTER FUNCTION jobs_maintain_status_counts() OWNER TO postgres");
        s.execute("ALTER DATABASE jobplane OWNER TO postgres");
      }
    }
    Files.delete(data.resolve(EmbeddedPostgresAccess.APPLIED_FILE));

    try (EmbeddedPostgresDatabase db = EmbeddedPostgresDatabase.start(data);
        PostgresStore store = PostgresStore.open(db.config(2), null)) {
      assertThat(store.jobRepository().findById(old.id())).contains(old);
      assertThat(objectsNotOwnedByTheAppRole(store)).isEmpty();
      store.jobRepository().insert(TestJobs.job().restored());
    }
  }

  /** What the code before issue 12 left: trust logins, everything owned by postgres. */
  private static JobSnapshot createDirectoryOfTheEarlierVersion(Path dir) throws Exception {
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(dir)
            .setCleanDataDirectory(false)
            .setServerConfig("synchronous_commit", "on")
            .setLocaleConfig("locale", "C")
            .start()) {
      try (Connection c = old.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE jobplane");
      }
      DatabaseConfig asSuperuser =
          new DatabaseConfig(old.getJdbcUrl("postgres", "jobplane"), "postgres", "", 2);
      try (PostgresStore store = PostgresStore.open(asSuperuser, null)) {
        return store.jobRepository().insert(TestJobs.job().restored());
      }
    }
  }

  private static List<String> objectsNotOwnedByTheAppRole(PostgresStore store) throws SQLException {
    List<String> found = new ArrayList<>();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = 'public' AND c.relowner <> 'jobplane'::regrole"
                    + " UNION ALL SELECT p.proname FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = 'public' AND p.proowner <> 'jobplane'::regrole"
                    + " UNION ALL SELECT datname FROM pg_database"
                    + " WHERE datname = 'jobplane' AND datdba <> 'jobplane'::regrole")) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    }
    return found;
  }

  private static Connection connect(EmbeddedPostgresDatabase db, String user, String password)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + db.port() + "/jobplane", properties);
  }

  private String password(String file) throws IOException {
    return Files.readString(data.resolve(file), StandardCharsets.US_ASCII).strip();
  }

  private record Result(int exitCode, String output) {}

  private static Result psql(String... arguments) throws Exception {
    return psqlWithPassword(null, arguments);
  }

  private static Result psqlWithPassword(String password, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("psql", "-w"));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
    // no ~/.pgpass either
    builder.environment().put("PGPASSFILE", "/nonexistent");
    if (password != null) {
      builder.environment().put("PGPASSWORD", password);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
