package io.jobplane.adapters.persistence;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /** Where zonky unpacks binaries when not told otherwise (its own default, repeated). */
  static Path workingDirectory() {
    Path fallback = Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg");
    return Path.of(System.getProperty("ot.epg.working-dir", fallback.toString()));
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
