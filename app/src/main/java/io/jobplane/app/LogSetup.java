package io.jobplane.app;

import java.util.Locale;

/**
 * Chooses the Logback configuration before the first logger exists; after that Logback has already
 * read its file and a property change would come too late.
 */
final class LogSetup {

  enum Format {
    TEXT,
    JSON
  }

  private LogSetup() {}

  static void configure(Format format, String level) {
    System.setProperty("jobplane.log.level", level.toUpperCase(Locale.ROOT));
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", format == Format.JSON ? "logback-json.xml" : "logback.xml");
    }
    // Jersey and Grizzly log through java.util.logging.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
  }
}
