package io.jobplane.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests in flight so shutdown can wait for exactly those, instead of the JDK server's
 * {@code stop(delay)}, which on Java 17 always sleeps the whole delay. Once draining, new requests
 * get 503 with {@code Connection: close} so load balancers move on.
 */
final class DrainingHandler implements HttpHandler {

  private static final byte[] DRAINING =
      ("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
              + "\"detail\":\"the server is shutting down\"}")
          .getBytes(StandardCharsets.UTF_8);

  private final HttpHandler delegate;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();

  DrainingHandler(HttpHandler delegate) {
    this.delegate = delegate;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    // Event streams stay open by design; they are not waited for but interrupted at the end.
    if (isEventStream(exchange) && !draining.get()) {
      delegate.handle(exchange);
      return;
    }
    inFlight.incrementAndGet();
    try {
      if (draining.get()) {
        exchange.getResponseHeaders().set("Content-Type", "application/problem+json");
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(503, DRAINING.length);
        exchange.getResponseBody().write(DRAINING);
        exchange.close();
        return;
      }
      delegate.handle(exchange);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static boolean isEventStream(HttpExchange exchange) {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null && accept.contains("text/event-stream");
  }

  /** Refuses new requests and waits until the ones in flight finish; false on timeout. */
  boolean drain(Duration grace) throws InterruptedException {
    draining.set(true);
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  int inFlight() {
    return inFlight.get();
  }
}
