package io.jobplane.app.http;

import org.glassfish.jersey.server.ResourceConfig;

/**
 * A running HTTP container serving a Jersey application: all the composition root needs of it.
 * {@link JettyHttpServer} is the production one; the benchmarks plug in others to compare.
 */
public interface HttpContainer extends AutoCloseable {

  /** The port actually bound. */
  int port();

  /** Stops gracefully: requests in flight finish within the settings' shutdown grace. */
  @Override
  void close() throws Exception;

  /** Binds {@code host:port} (0 picks a free port) and serves {@code application}. */
  @FunctionalInterface
  interface Factory {
    HttpContainer start(String host, int port, HttpSettings settings, ResourceConfig application)
        throws Exception;
  }
}
