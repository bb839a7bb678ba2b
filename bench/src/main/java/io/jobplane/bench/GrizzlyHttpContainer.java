package io.jobplane.bench;

import io.jobplane.app.http.HttpContainer;
import io.jobplane.app.http.HttpSettings;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.GrizzlyExecutorService;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * Jersey on Grizzly 4, only to compare with the product's Jetty container (issue 10 chose by
 * measurement, docs/benchmarks.md). Configured to match {@code JettyHttpServer} where Grizzly has
 * the same knob: a worker pool of 8 to 200 threads, keep-alive without a per-connection request cap
 * and with the same idle timeout, the same header limit, TCP_NODELAY, an accept backlog of 1024.
 * What the Jetty container enforces by configuration and this one does not reproduce: a connection
 * limit, a body limit answered 413 while the body streams, the idle timeout for a client stuck in
 * the middle of its headers or body, problem documents for the container's own errors (431, 413),
 * and 503 to new requests on open connections while draining.
 *
 * <p>Nothing servlet-specific is registered: Grizzly suspends requests natively, so live streams
 * hold no thread here either. The body-limit interceptor Jetty's start registers is not registered
 * either: it only translates Jetty's own exception, and GET requests never run it.
 */
final class GrizzlyHttpContainer implements HttpContainer {

  /** Jetty's {@code JettyHttpServer.MAX_THREADS}: the same ceiling for request threads. */
  private static final int MAX_THREADS = 200;

  private static final int MIN_THREADS = 8;

  private final HttpServer server;
  private final NetworkListener listener;
  private final HttpSettings settings;

  private GrizzlyHttpContainer(HttpServer server, NetworkListener listener, HttpSettings settings) {
    this.server = server;
    this.listener = listener;
    this.settings = settings;
  }

  static GrizzlyHttpContainer start(
      String host, int port, HttpSettings settings, ResourceConfig application) throws Exception {
    HttpServer server =
        GrizzlyHttpServerFactory.createHttpServer(
            URI.create("http://" + host + ":" + port + "/"), application, false);
    NetworkListener listener = server.getListener("grizzly");
    listener.setMaxHttpHeaderSize(settings.maxHeaderBytes());
    // Grizzly closes a keep-alive connection after 256 requests by default; Jetty never does
    listener.getKeepAlive().setMaxRequestsCount(-1);
    listener.getKeepAlive().setIdleTimeoutInSeconds((int) settings.idleTimeout().toSeconds());
    TCPNIOTransport transport = listener.getTransport();
    transport.setTcpNoDelay(true);
    transport.setServerConnectionBackLog(1024);
    // Jersey's factory installs an unbounded cached pool; bound it like Jetty's QueuedThreadPool
    transport.setWorkerThreadPool(
        GrizzlyExecutorService.createInstance(
            ThreadPoolConfig.defaultConfig()
                .setPoolName("http")
                .setCorePoolSize(MIN_THREADS)
                .setMaxPoolSize(MAX_THREADS)
                .setKeepAliveTime(10, TimeUnit.SECONDS)));
    server.start();
    return new GrizzlyHttpContainer(server, listener, settings);
  }

  @Override
  public int port() {
    return listener.getPort();
  }

  /** Lets requests in flight finish for the shutdown grace, then closes what is left. */
  @Override
  public void close() throws Exception {
    long grace = settings.shutdownGrace().toMillis();
    try {
      server.shutdown(grace, TimeUnit.MILLISECONDS).get(grace + 1_000, TimeUnit.MILLISECONDS);
    } finally {
      server.shutdownNow();
    }
  }
}
