package io.jobplane.app;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the store is: the embedded database in --data-dir, or an external PostgreSQL. */
final class DatabaseOptions {

  @Option(
      names = "--data-dir",
      defaultValue = ".jobplane",
      description =
          "Directory for the embedded database and the generated admin token (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--database-url",
      description =
          "JDBC URL of an external PostgreSQL, e.g.%njdbc:postgresql://db:5432/jobplane%nOmit to use the embedded database.")
  String databaseUrl;

  @Mixin DatabaseUserOption user;

  @Option(
      names = "--database-password-file",
      description = "File holding the database password (read once at start; never logged).")
  Path databasePasswordFile;

  @Option(
      names = "--database-pool-size",
      defaultValue = "16",
      description = "Maximum database connections (default: ${DEFAULT-VALUE}).")
  int poolSize;

  void validate() {
    if (poolSize < 1 || poolSize > 500) {
      throw new IllegalArgumentException("--database-pool-size must be between 1 and 500");
    }
    if (databaseUrl == null && databasePasswordFile != null) {
      throw new IllegalArgumentException("--database-password-file needs --database-url");
    }
  }

  /** The database these options name, set on {@code settings}. */
  ServerSettings.Builder applyTo(ServerSettings.Builder settings) {
    return settings
        .dataDir(dataDir)
        .databaseUrl(databaseUrl)
        .databaseUser(user.databaseUser)
        .databasePasswordFile(databasePasswordFile)
        .databasePoolSize(poolSize);
  }
}
