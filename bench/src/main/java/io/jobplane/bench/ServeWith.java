package io.jobplane.bench;

import io.jobplane.app.JobplaneServer;
import io.jobplane.app.ServerSettings;
import io.jobplane.app.http.HttpContainer;
import io.jobplane.app.http.HttpSettings;
import io.jobplane.app.http.JettyHttpServer;
import io.jobplane.application.service.LiveLimits;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobplane serve} with a choice of HTTP container, for bench/http.sh: the same composition
 * root and settings as the product, only the container differs. Without a tokens file the server
 * writes {@code admin.token} into the data directory, as {@code serve} does. Stops on SIGTERM.
 */
@Command(name = "serve-with", mixinStandardHelpOptions = true)
public final class ServeWith implements Callable<Integer> {

  enum Container {
    jetty(JettyHttpServer::start),
    grizzly(GrizzlyHttpContainer::start);

    final HttpContainer.Factory factory;

    Container(HttpContainer.Factory factory) {
      this.factory = factory;
    }
  }

  @Option(names = "--container", required = true, description = "jetty or grizzly")
  Container container;

  @Option(names = "--host", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--port", defaultValue = "18080")
  int port;

  @Option(names = "--data-dir", required = true, description = "Where admin.token is written.")
  Path dataDir;

  @Option(names = "--database-url", required = true)
  String databaseUrl;

  @Option(names = "--database-user", defaultValue = "postgres")
  String databaseUser;

  @Option(names = "--database-pool-size", defaultValue = "16")
  int poolSize;

  @Option(names = "--max-streams", defaultValue = "10000")
  int maxStreams;

  @Option(names = "--max-streams-per-token", defaultValue = "256")
  int maxStreamsPerToken;

  public static void main(String[] args) {
    // Jersey and Grizzly log through java.util.logging, as in the product
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    int exit = new CommandLine(new ServeWith()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }

  @Override
  public Integer call() throws Exception {
    HttpSettings defaults = HttpSettings.DEFAULTS;
    HttpSettings http =
        new HttpSettings(
            defaults.idleTimeout(),
            defaults.maxConnections(),
            defaults.maxHeaderBytes(),
            defaults.maxBodyBytes(),
            defaults.shutdownGrace(),
            new LiveLimits(maxStreams, maxStreamsPerToken, defaults.live().heartbeat()));
    ServerSettings settings =
        ServerSettings.builder()
            .host(host)
            .port(port)
            .dataDir(dataDir)
            .databaseUrl(databaseUrl)
            .databaseUser(databaseUser)
            .databasePoolSize(poolSize)
            .http(http)
            .build();
    JobplaneServer server =
        JobplaneServer.start(
            settings,
            () -> {
              throw new IllegalStateException("the benchmark server never talks to Kubernetes");
            },
            container.factory);
    // the product logs this line at INFO; the bench module's logging shows warnings only
    System.out.printf(
        "Jobplane API (%s) listening on http://%s:%d/%n", container, host, server.port());
    return server.runUntilStopped();
  }
}
