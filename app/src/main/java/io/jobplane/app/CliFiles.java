package io.jobplane.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files named on the command line, read with errors that name the option and the file (never the
 * content: these files hold tokens).
 */
final class CliFiles {

  private CliFiles() {}

  /**
   * The token in {@code file}, stripped; one-line errors for a missing, unreadable or empty file.
   */
  static String readToken(Path file, String option) throws IOException {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(option + " " + file + ": no such file", e);
    } catch (AccessDeniedException e) {
      throw new IllegalArgumentException(option + " " + file + ": permission denied", e);
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException(option + " " + file + " is empty");
    }
    return token;
  }

  /** Fails at once, before anything slow starts, when {@code file} (if given) cannot be read. */
  static void requireReadable(Path file, String option) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(option + " " + file + ": no such file");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(option + " " + file + ": not a readable file");
    }
  }
}
