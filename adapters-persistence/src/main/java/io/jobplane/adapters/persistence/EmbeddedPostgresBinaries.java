package io.jobplane.adapters.persistence;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Zonky's PostgreSQL binaries, and where they were unpacked.
 *
 * <p>The embedded database is secured before its server first listens, by running {@code postgres
 * --single} on the data directory (see {@link EmbeddedPostgresAccess}); zonky does not say where it
 * unpacked the binaries, so this resolver hands zonky the archive and remembers its MD5, which
 * names the directory zonky unpacks it into ({@code <working dir>/PG-<md5>}, zonky 2.x). The
 * builder is given the same working directory explicitly, so both sides agree on it.
 */
final class EmbeddedPostgresBinaries implements PgBinaryResolver {

  /** One instance per JVM: zonky unpacks once per resolver instance. */
  static final EmbeddedPostgresBinaries INSTANCE = new EmbeddedPostgresBinaries();

  private volatile String archiveMd5;

  private EmbeddedPostgresBinaries() {}

  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    byte[] archive;
    try (InputStream in =
        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware)) {
      archive = in.readAllBytes();
    }
    try {
      archiveMd5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
    return new ByteArrayInputStream(archive);
  }

  private static volatile Path privateRoot;

  /**
   * Where zonky unpacks the binaries the server runs: {@code embedded-pg} inside a directory only
   * this OS user may enter (0700), so that no other local user can plant programs there first.
   * Zonky's own default, {@code java.io.tmpdir/embedded-pg}, is shared and world-writable. {@code
   * -Dot.epg.working-dir} still overrides it, at the caller's risk.
   */
  static Path workingDirectory() {
    String configured = System.getProperty("ot.epg.working-dir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path root = privateRoot;
    if (root == null) {
      root = ownerOnlyDirectory(candidates());
      privateRoot = root;
    }
    return root.resolve("embedded-pg");
  }

  /** The user's cache directory first (it survives reboots), a per-user one in tmp second. */
  private static List<Path> candidates() {
    List<Path> candidates = new ArrayList<>();
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      candidates.add(Path.of(xdg, "jobplane"));
    }
    String home = System.getProperty("user.home");
    if (home != null && !home.isBlank() && !home.equals("?")) {
      candidates.add(Path.of(home, ".cache", "jobplane"));
    }
    candidates.add(
        Path.of(
            System.getProperty("java.io.tmpdir"),
            "jobplane-" + System.getProperty("user.name", "user")));
    return candidates;
  }

  /**
   * The first candidate that is (or can be made) a directory of this user's, mode 0700. One owned
   * by another user (a squatter in a shared tmp) is never used.
   */
  static Path ownerOnlyDirectory(List<Path> candidates) {
    List<String> refused = new ArrayList<>();
    for (Path candidate : candidates) {
      Path dir = candidate.toAbsolutePath().normalize();
      try {
        Files.createDirectories(dir);
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          refused.add(dir + " (not a plain directory)");
          continue;
        }
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
          return dir;
        }
        UserPrincipal me =
            dir.getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        if (!Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).equals(me)) {
          refused.add(dir + " (owned by " + Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS) + ")");
          continue;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
      } catch (IOException | UnsupportedOperationException e) {
        refused.add(dir + " (" + e.getMessage() + ")");
      }
    }
    throw new IllegalStateException(
        "no private directory for the embedded PostgreSQL binaries: "
            + String.join(", ", refused)
            + "; set -Dot.epg.working-dir to a directory only this user can write");
  }

  /**
   * The command line that runs one of the unpacked programs, prefixed like zonky's own ({@code
   * unshare -U} when running as root, which PostgreSQL refuses). Only valid once zonky has unpacked
   * the binaries, i.e. from a data directory customizer on.
   */
  List<String> command(String program, List<String> arguments) {
    String md5 = archiveMd5;
    if (md5 == null) {
      throw new IllegalStateException("PostgreSQL binaries are not unpacked yet");
    }
    String suffix = System.getProperty("os.name", "").startsWith("Windows") ? ".exe" : "";
    Path executable =
        workingDirectory().resolve("PG-" + md5).resolve("bin").resolve(program + suffix);
    if (!Files.isExecutable(executable)) {
      throw new IllegalStateException("no PostgreSQL program at " + executable);
    }
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.add(executable.toString());
    command.addAll(arguments);
    return command;
  }
}
