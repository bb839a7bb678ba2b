package io.jobplane.app;

import picocli.CommandLine.Option;

/** --log-format and --log-level, for the commands that run until stopped. */
final class LogOptions {

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Log format: text or json (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      description = "Log level: error, warn, info, debug (default: ${DEFAULT-VALUE}).")
  String logLevel;

  void apply() {
    LogSetup.configure(logFormat, logLevel);
  }
}
