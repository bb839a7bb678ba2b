package io.jobplane.adapters.persistence;

import java.util.Objects;

/**
 * Where the store's PostgreSQL is and how many connections to keep. {@code user} and {@code
 * password} may be null when the JDBC URL carries them.
 */
public record DatabaseConfig(String jdbcUrl, String user, String password, int maxPoolSize) {

  public DatabaseConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must be a jdbc:postgresql: URL");
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be at least 1, was " + maxPoolSize);
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseConfig[jdbcUrl="
        + jdbcUrl
        + ", user="
        + user
        + ", password="
        + (password == null ? "null" : "***")
        + ", maxPoolSize="
        + maxPoolSize
        + "]";
  }
}
