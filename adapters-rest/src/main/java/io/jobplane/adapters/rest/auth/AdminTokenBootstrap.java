package io.jobplane.adapters.rest.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin token of a fresh installation, kept in {@code <dataDir>/admin.token}. */
public final class AdminTokenBootstrap {

  public static final String FILE_NAME = "admin.token";
  private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private AdminTokenBootstrap() {}

  /**
   * If dataDir/admin.token exists, read it; else generate 32 random bytes (SecureRandom,
   * base64url), write it with POSIX mode 0600 (the file is created with those permissions
   * atomically), return it.
   */
  public static String ensureAdminToken(Path dataDir) {
    Path file = dataDir.resolve(FILE_NAME);
    try {
      Files.createDirectories(dataDir);
      if (Files.exists(file)) {
        return read(file);
      }
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      try (SeekableByteChannel channel = create(file)) {
        channel.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
      } catch (FileAlreadyExistsException raced) {
        return read(file); // another process created it first
      }
      LOG.info("generated the admin token in {}", file);
      return token;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the admin token " + file, e);
    }
  }

  private static SeekableByteChannel create(Path file) throws IOException {
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<Set<PosixFilePermission>> ownerOnly =
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
      return Files.newByteChannel(file, options, ownerOnly);
    }
    return Files.newByteChannel(file, options);
  }

  private static String read(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (token.isEmpty()) {
      throw new IllegalStateException(
          "admin token file " + file + " is empty; delete it to generate a new token");
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.stream()
          .anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
        LOG.warn(
            "admin token file {} is readable by others ({}); chmod 600 it",
            file,
            PosixFilePermissions.toString(perms));
      }
    }
    return token;
  }
}
