package io.jobplane.app;

import io.jobplane.application.security.SecretCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the server key that seals secret values comes from, first match wins: env {@value #ENV}
 * (base64 of 32 bytes; for replicas that must share one key, e.g. from a Kubernetes Secret), the
 * file {@code --secrets-key-file} (which must exist), or {@code <data-dir>/secrets.key}, generated
 * on first start with mode 0600 like the admin token. Logs name the key's id and where it came
 * from, never the key.
 */
final class SecretsKeys {

  static final String ENV = "JOBPLANE_SECRETS_KEY";
  static final String FILE_NAME = "secrets.key";
  private static final Logger log = LoggerFactory.getLogger(SecretsKeys.class);

  private SecretsKeys() {}

  static SecretCipher cipher(Path keyFile, Path dataDir, Map<String, String> env) {
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      SecretCipher cipher = new SecretCipher(decode(fromEnv, "env " + ENV));
      log.info("Secrets are sealed with key {} from env {}", cipher.keyId(), ENV);
      return cipher;
    }
    Path file = keyFile != null ? keyFile : dataDir.resolve(FILE_NAME);
    try {
      if (keyFile == null && !Files.exists(file)) {
        generate(file);
      }
      SecretCipher cipher = new SecretCipher(read(file));
      log.info("Secrets are sealed with key {} from {}", cipher.keyId(), file.toAbsolutePath());
      return cipher;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secrets key " + file, e);
    }
  }

  private static byte[] decode(String base64, String where) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      // the message of the decoder may quote the input: not repeated here
      throw new IllegalArgumentException("the secrets key in " + where + " is not base64");
    }
    if (key.length != SecretCipher.KEY_BYTES) {
      throw new IllegalArgumentException(
          "the secrets key in "
              + where
              + " must be "
              + SecretCipher.KEY_BYTES
              + " bytes (base64 of 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`)");
    }
    return key;
  }

  private static byte[] read(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      // a group may read it: that is how a Kubernetes Secret volume reaches a non-root process
      if (perms.stream().anyMatch(p -> p.name().startsWith("OTHERS"))) {
        log.warn(
            "secrets key file {} is readable by others ({}); chmod 600 it",
            file,
            PosixFilePermissions.toString(perms));
      }
    }
    return decode(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
  }

  /** A fresh key, written atomically with mode 0600; a file another process wrote first wins. */
  private static void generate(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    String key = Base64.getEncoder().encodeToString(SecretCipher.generateKey()) + "\n";
    try (SeekableByteChannel channel =
        file.getFileSystem().supportedFileAttributeViews().contains("posix")
            ? Files.newByteChannel(
                file,
                options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
            : Files.newByteChannel(file, options)) {
      channel.write(ByteBuffer.wrap(key.getBytes(StandardCharsets.US_ASCII)));
      log.info("Generated the secrets key in {} (mode 0600); back it up", file.toAbsolutePath());
    } catch (FileAlreadyExistsException raced) {
      // another process created it first: read theirs
    }
  }
}
