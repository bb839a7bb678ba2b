package io.jobplane.app.http;

import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey on Jetty 12 (the servlet container on {@code jetty-ee10}, as Dropwizard runs it). Every
 * protection is the container's own configuration: connections are read without holding a thread
 * and closed after the idle timeout (a client that never finishes its headers costs a socket, not a
 * thread), a connection limit, header and body limits answered 431/413, and a graceful stop that
 * lets requests in flight finish while new ones get 503. Errors the container answers itself are
 * problem documents ({@link ProblemErrorHandler}).
 */
public final class JettyHttpServer implements HttpContainer {

  /** Threads that run requests; live streams hold none while idle. */
  static final int MAX_THREADS = 200;

  private final Server server;
  private final ServerConnector connector;
  private final GracefulHandler graceful;

  private JettyHttpServer(Server server, ServerConnector connector, GracefulHandler graceful) {
    this.server = server;
    this.connector = connector;
    this.graceful = graceful;
  }

  /** Binds {@code host:port} (0 picks a free port) and serves {@code application}. */
  public static JettyHttpServer start(
      String host, int port, HttpSettings settings, ResourceConfig application) throws Exception {
    Objects.requireNonNull(settings, "settings");
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 8);
    threads.setName("http");
    // threads a burst needed (say, hundreds of streams whose peers left at once) go back within
    // about 10 s, all of them, instead of one per idle timeout
    threads.setIdleTimeout(10_000);
    threads.setMaxEvictCount(MAX_THREADS);
    Server server = new Server(threads);

    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(settings.maxHeaderBytes());
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    // Encoded separators (%2F, %2E%2E) in a path value are the API's to refuse (400 naming the
    // parameter, body drained, connection kept), not the container's: refusing them here closed
    // the connection while a client was still sending its body, and the answer was lost.
    http.setUriCompliance(UriCompliance.LEGACY);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(settings.idleTimeout().toMillis());
    connector.setAcceptQueueSize(1024);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));

    application.register(ServletAsync.binder());
    application.register(new ContainerLimitsInterceptor(settings.maxBodyBytes()));
    application.register(UnreadBodyDrain.class);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder jersey = new ServletHolder("jersey", new ServletContainer(application));
    jersey.setAsyncSupported(true); // live streams suspend their request instead of a thread
    jersey.setInitOrder(0);
    context.addServlet(jersey, "/*");
    // the dashboard's static files, public; its data comes from /api with the user's token
    context.addServlet(new ServletHolder("dashboard", new DashboardServlet()), "/ui/*");
    context.getServletHandler().setDecodeAmbiguousURIs(true);
    ProblemErrorHandler problems = new ProblemErrorHandler();
    context.setErrorHandler(problems);
    server.setErrorHandler(problems);

    DrainingSizeLimitHandler sizeLimit = new DrainingSizeLimitHandler(settings.maxBodyBytes());
    sizeLimit.setHandler(context);
    GracefulHandler graceful = new GracefulHandler(sizeLimit);
    server.setHandler(graceful);
    server.setStopTimeout(settings.shutdownGrace().toMillis());
    server.setStopAtShutdown(false); // the composition root orders shutdown itself
    server.start();
    return new JettyHttpServer(server, connector, graceful);
  }

  @Override
  public int port() {
    return connector.getLocalPort();
  }

  /** Requests being handled now; suspended live streams count until they end. */
  public long requestsInFlight() {
    return graceful.getCurrentRequestCount();
  }

  /**
   * Stops accepting, answers 503 to new requests on open connections, waits up to the shutdown
   * grace for requests in flight, then closes everything.
   */
  @Override
  public void close() throws Exception {
    server.stop();
  }
}
