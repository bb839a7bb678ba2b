package io.jobplane.adapters.persistence;

import io.jobplane.domain.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded PostgreSQL, and as what (issue 12).
 *
 * <ul>
 *   <li>Two random passwords (32 bytes from SecureRandom, base64url) live in the data directory
 *       (mode 0700) as {@code postgres.password} and {@code jobplane.password} (mode 0600).
 *   <li>{@code pg_hba.conf} allows SCRAM-SHA-256 logins over 127.0.0.1 and nothing else; the server
 *       listens on 127.0.0.1 only and opens no Unix socket.
 *   <li>The server's pool logs in as {@code jobplane}: no superuser, no CREATEDB, CREATEROLE,
 *       REPLICATION or BYPASSRLS, member of no role (so no {@code pg_execute_server_program}),
 *       owner of database {@code jobplane} and of every object in it. {@code postgres} is used only
 *       at start, to provision.
 * </ul>
 *
 * <p>The passwords are set with the server stopped, by {@code postgres --single} reading SQL from
 * its stdin, so no server ever listens with initdb's {@code trust} rules (zonky runs initdb with
 * {@code -A trust}), and a data directory of an earlier version is converted before its server
 * listens again. Only SCRAM verifiers computed here reach PostgreSQL, never a password; nothing
 * secret is logged or passed on a command line. {@code passwords.applied} records (as a SHA-256)
 * which passwords were set, so the offline step runs again after a crash before it, or when a
 * password file was deleted to rotate it. Every step is idempotent.
 */
final class EmbeddedPostgresAccess {

  static final String SUPERUSER = "postgres";
  static final String APP_ROLE = "jobplane";
  static final String SUPERUSER_PASSWORD_FILE = "postgres.password";
  static final String APP_PASSWORD_FILE = "jobplane.password";
  static final String APPLIED_FILE = "passwords.applied";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresAccess.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SCRAM_ITERATIONS = 4096;
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** No {@code local} line: the server opens no Unix socket, and an unmatched login is refused. */
  static final String PG_HBA =
      """
      # Written by Jobplane on every start; edits are lost. Password (SCRAM) logins over
      # 127.0.0.1 only; anything else matches no line and is refused.
      # TYPE  DATABASE  USER  ADDRESS       METHOD
      host    all       all   127.0.0.1/32  scram-sha-256
      """;

  private final String superuserPassword;
  private final String appPassword;

  private EmbeddedPostgresAccess(String superuserPassword, String appPassword) {
    this.superuserPassword = superuserPassword;
    this.appPassword = appPassword;
  }

  /**
   * The passwords in dataDirectory, or new ones where a file is missing (written by {@link
   * #secure}: before initdb has run the directory must stay empty).
   */
  static EmbeddedPostgresAccess forDirectory(Path dataDirectory) throws IOException {
    return new EmbeddedPostgresAccess(
        readOrGenerate(dataDirectory.resolve(SUPERUSER_PASSWORD_FILE)),
        readOrGenerate(dataDirectory.resolve(APP_PASSWORD_FILE)));
  }

  String superuserPassword() {
    return superuserPassword;
  }

  String appPassword() {
    return appPassword;
  }

  /**
   * With the server stopped (after initdb, before the postmaster starts): owner-only modes, the
   * password files, pg_hba.conf, and the roles' passwords when they are not set yet.
   */
  void secure(Path dataDirectory, EmbeddedPostgresBinaries binaries) throws IOException {
    restrict(dataDirectory, OWNER_ONLY_DIRECTORY);
    writeIfMissing(dataDirectory.resolve(SUPERUSER_PASSWORD_FILE), superuserPassword);
    writeIfMissing(dataDirectory.resolve(APP_PASSWORD_FILE), appPassword);
    replace(dataDirectory.resolve("pg_hba.conf"), PG_HBA);
    Path applied = dataDirectory.resolve(APPLIED_FILE);
    String fingerprint = fingerprint();
    if (Files.isRegularFile(applied) && Files.readString(applied).strip().equals(fingerprint)) {
      return;
    }
    LOG.info(
        "Setting the passwords of roles {} and {} in {} (server stopped, single-user mode)",
        SUPERUSER,
        APP_ROLE,
        dataDirectory);
    String superuserVerifier = scramVerifier(superuserPassword);
    String appVerifier = scramVerifier(appPassword);
    // one statement a line (single-user mode); the role names are SUPERUSER and APP_ROLE
    List<String> statements =
        List.of(
            "ALTER ROLE postgres WITH PASSWORD '" + superuserVerifier + "';",
            "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'jobplane')"
                + " THEN CREATE ROLE jobplane; END IF; END$$;",
            "ALTER ROLE jobplane WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                + " NOBYPASSRLS PASSWORD '"
                + appVerifier
                + "';");
    runSingleUser(dataDirectory, binaries, statements, List.of(superuserVerifier, appVerifier));
    replace(applied, fingerprint + "\n");
  }

  /**
   * With the server running, as the superuser: database {@code jobplane} exists and is owned by the
   * app role, the app role is a member of no other role, and every object in database {@code
   * jobplane} owned by the superuser (all of them in a directory of an earlier version) is handed
   * to the app role in one transaction.
   */
  void provision(DataSource superuserOnPostgres, DataSource superuserOnApp, String database)
      throws SQLException {
    try (Connection c = superuserOnPostgres.getConnection();
        Statement s = c.createStatement()) {
      String owner = null;
      boolean exists = false;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
        ps.setString(1, database);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            exists = true;
            owner = rs.getString(1);
          }
        }
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + database + " OWNER " + APP_ROLE);
        LOG.info("Created database {} owned by {}", database, APP_ROLE);
      } else if (!APP_ROLE.equals(owner)) {
        s.execute("ALTER DATABASE " + database + " OWNER TO " + APP_ROLE);
        LOG.info("Database {} now belongs to {} (was {})", database, APP_ROLE, owner);
      }
      List<String> memberships = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT quote_ident(r.rolname) FROM pg_auth_members m"
                  + " JOIN pg_roles r ON r.oid = m.roleid"
                  + " WHERE m.member = '"
                  + APP_ROLE
                  + "'::regrole")) {
        while (rs.next()) {
          memberships.add(rs.getString(1));
        }
      }
      for (String role : memberships) {
        s.execute("REVOKE " + role + " FROM " + APP_ROLE);
        LOG.warn("Role {} was a member of {}; revoked", APP_ROLE, role);
      }
    }
    try (Connection c = superuserOnApp.getConnection()) {
      c.setAutoCommit(false);
      List<String> changes = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(OWNERSHIP_CHANGES)) {
        while (rs.next()) {
          changes.add(rs.getString(1));
        }
      }
      try (Statement s = c.createStatement()) {
        for (String change : changes) {
          s.execute(change);
        }
      }
      c.commit();
      if (!changes.isEmpty()) {
        LOG.info("Handed {} objects of database {} to role {}", changes.size(), database, APP_ROLE);
      }
    }
  }

  /**
   * Every object of the superuser outside the system schemas, as the ALTER that hands it over:
   * schemas, tables (their indexes, triggers and serial/identity sequences follow them), views,
   * standalone sequences, functions and procedures, types. REASSIGN OWNED cannot do this: objects
   * of the bootstrap superuser are not tracked per database.
   */
  private static final String OWNERSHIP_CHANGES =
      """
      WITH su AS (SELECT oid FROM pg_roles WHERE rolname = 'postgres'),
      ns AS (SELECT oid, nspname, nspowner FROM pg_namespace
             WHERE nspname !~ '^pg_' AND nspname <> 'information_schema')
      SELECT 'ALTER SCHEMA ' || quote_ident(n.nspname) || ' OWNER TO jobplane', 1
        FROM ns n WHERE n.nspowner = (SELECT oid FROM su)
      UNION ALL
      SELECT 'ALTER ' || CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                        WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                                        ELSE 'TABLE' END
             || ' ' || c.oid::regclass::text || ' OWNER TO jobplane',
             CASE c.relkind WHEN 'S' THEN 3 ELSE 2 END
        FROM pg_class c JOIN ns n ON n.oid = c.relnamespace
       WHERE c.relowner = (SELECT oid FROM su) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
         AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
      UNION ALL
      SELECT 'ALTER ROUTINE ' || p.oid::regprocedure::text || ' OWNER TO jobplane', 4
        FROM pg_proc p JOIN ns n ON n.oid = p.pronamespace
       WHERE p.proowner = (SELECT oid FROM su)
      UNION ALL
      SELECT 'ALTER ' || CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END || ' '
             || t.oid::regtype::text || ' OWNER TO jobplane', 5
        FROM pg_type t JOIN ns n ON n.oid = t.typnamespace
       WHERE t.typowner = (SELECT oid FROM su) AND t.typtype IN ('e', 'd', 'r', 'c')
         AND t.typcategory <> 'A'
         AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
      ORDER BY 2, 1
      """;

  private static String readOrGenerate(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (password.isEmpty()) {
        throw new IllegalStateException(
            "password file "
                + file
                + " is empty; delete it and the server sets a new password on its next start");
      }
      return password;
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void writeIfMissing(Path file, String password) throws IOException {
    if (Files.isRegularFile(file)) {
      restrict(file, OWNER_ONLY_FILE);
      if (!Files.readString(file, StandardCharsets.US_ASCII).strip().equals(password)) {
        throw new IllegalStateException(file + " changed while the server started");
      }
      return;
    }
    replace(file, password + "\n");
  }

  /** Writes content to a new 0600 file beside target, flushes it, renames it over target. */
  private static void replace(Path target, String content) throws IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    if (isPosix(target)) {
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } else {
      Files.createFile(temporary);
    }
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (isPosix(path) && !Files.getPosixFilePermissions(path).equals(permissions)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private String fingerprint() {
    return Sha256.hex(
        SUPERUSER + ":" + superuserPassword + "\n" + APP_ROLE + ":" + appPassword + "\n");
  }

  /**
   * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802, 7677), so the password itself
   * never reaches the server. The passwords are ASCII, which SASLprep leaves as they are.
   */
  static String scramVerifier(String password) {
    try {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] salted =
          pbkdf2
              .generateSecret(new PBEKeySpec(password.toCharArray(), salt, SCRAM_ITERATIONS, 256))
              .getEncoded();
      byte[] storedKey = Sha256.of(hmac(salted, "Client Key"));
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder base64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + SCRAM_ITERATIONS
          + ":"
          + base64.encodeToString(salt)
          + "$"
          + base64.encodeToString(storedKey)
          + ":"
          + base64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot compute a SCRAM-SHA-256 verifier", e);
    }
  }

  private static byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * Runs the statements (one a line) in {@code postgres --single}; any error ends it with a
   * non-zero exit ({@code exit_on_error}). The output, shown on failure, never contains a statement
   * ({@code log_min_error_statement=panic}), and the verifiers are masked anyway.
   */
  private static void runSingleUser(
      Path dataDirectory,
      EmbeddedPostgresBinaries binaries,
      List<String> statements,
      List<String> masked)
      throws IOException {
    List<String> command =
        binaries.command(
            "postgres",
            List.of(
                "--single",
                "-D",
                dataDirectory.toString(),
                "-c",
                "exit_on_error=on",
                "-c",
                "log_min_error_statement=panic",
                SUPERUSER));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write((String.join("\n", statements) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // postgres ended before reading its input; its exit code and output below say why
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("postgres --single did not finish within 2 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException("interrupted while setting the database passwords", e);
    }
    if (process.exitValue() != 0) {
      for (String secret : masked) {
        output = output.replace(secret, "***");
      }
      throw new IllegalStateException(
          "postgres --single could not set the database passwords in "
              + dataDirectory
              + " (exit "
              + process.exitValue()
              + "):\n"
              + output.strip());
    }
  }
}
