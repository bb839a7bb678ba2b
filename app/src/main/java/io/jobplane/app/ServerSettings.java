package io.jobplane.app;

import java.nio.file.Path;
import java.time.Duration;

/** Everything the server needs to start, already validated by the command line. */
public record ServerSettings(
    String host,
    int port,
    Path dataDir,
    String databaseUrl,
    String databaseUser,
    Path databasePasswordFile,
    int databasePoolSize,
    Path tokensFile,
    boolean metricsPublic,
    long maxBodyBytes,
    Duration shutdownGrace,
    Duration sweepInterval) {}
