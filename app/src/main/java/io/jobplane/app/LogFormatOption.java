package io.jobplane.app;

import picocli.CommandLine.Option;

/**
 * --log-format, for the commands that run until stopped; each declares its --log-level, whose help
 * differs ({@link LogOptions}, {@code serve}'s).
 */
final class LogFormatOption {

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Log format: text or json (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  /** Sets up logging with this format and {@code level}. */
  void apply(String level) {
    LogSetup.configure(logFormat, level);
  }
}
