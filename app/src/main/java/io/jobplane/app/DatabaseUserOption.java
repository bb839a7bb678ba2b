package io.jobplane.app;

import picocli.CommandLine.Option;

/**
 * --database-user: whom the commands that open the store with --database-url log in as ({@code
 * serve}, {@code operator}, {@code create-token}).
 */
final class DatabaseUserOption {

  @Option(
      names = "--database-user",
      defaultValue = "jobplane",
      description = "Database user for --database-url (default: ${DEFAULT-VALUE}).")
  String databaseUser;
}
