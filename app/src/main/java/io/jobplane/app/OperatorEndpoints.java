package io.jobplane.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jobplane.application.port.out.StoreHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * What an operator-only process serves for its probes and scrapes: /healthz (the process is up),
 * /readyz (the store answers and the operator's informers are healthy) and /metrics.
 */
final class OperatorEndpoints implements HttpHandler {

  private final StoreHealth store;
  private final BooleanSupplier operatorReady;
  private final PrometheusMeterRegistry registry;

  OperatorEndpoints(
      StoreHealth store, BooleanSupplier operatorReady, PrometheusMeterRegistry registry) {
    this.store = store;
    this.operatorReady = operatorReady;
    this.registry = registry;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "application/problem+json", problem(405, "Method Not Allowed"));
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/healthz" -> send(exchange, 200, "application/json", "{\"status\":\"UP\"}");
        case "/readyz" -> {
          boolean storeUp = store.isReachable();
          boolean operatorUp = operatorReady.getAsBoolean();
          String body =
              "{\"status\":\""
                  + (storeUp && operatorUp ? "UP" : "DOWN")
                  + "\",\"checks\":{\"database\":\""
                  + (storeUp ? "UP" : "DOWN")
                  + "\",\"operator\":\""
                  + (operatorUp ? "UP" : "DOWN")
                  + "\"}}";
          send(exchange, storeUp && operatorUp ? 200 : 503, "application/json", body);
        }
        case "/metrics" ->
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        default -> send(exchange, 404, "application/problem+json", problem(404, "Not Found"));
      }
    }
  }

  private static String problem(int status, String title) {
    return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + "}";
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
