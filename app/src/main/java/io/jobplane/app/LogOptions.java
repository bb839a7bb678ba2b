package io.jobplane.app;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * --log-format and --log-level of the operator and the worker; {@code serve}'s --log-level help
 * also says that its debug level logs each request.
 */
final class LogOptions {

  @Mixin LogFormatOption logFormat;

  @Option(
      names = "--log-level",
      defaultValue = "info",
      description = "Log level: error, warn, info, debug (default: ${DEFAULT-VALUE}).")
  String logLevel;

  void apply() {
    logFormat.apply(logLevel);
  }
}
