package io.jobplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A thin HTTP client, as a user's script would be. */
final class Api {

  static final ObjectMapper JSON = new ObjectMapper();

  record Response(
      int status,
      String contentType,
      JsonNode body,
      String raw,
      java.net.http.HttpHeaders headers) {}

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .build(); // offers h2c, as real clients do;
  private final String baseUrl;
  private final String token;

  Api(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  Response post(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response post(String path, String json, String idempotencyKey)
      throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  /** The same server as another caller ({@code null}: no Authorization header at all). */
  Api as(String otherToken) {
    return new Api(baseUrl, otherToken);
  }

  /** Any method, extra headers and an optional body, for requests a script would not send. */
  Response exchange(String method, String pathAndQuery, Map<String, String> headers, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = request(pathAndQuery);
    headers.forEach(b::header);
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return send(b);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    String type = r.headers().firstValue("Content-Type").orElse("");
    JsonNode body = null;
    if (type.contains("json") && !r.body().isEmpty()) {
      try {
        body = JSON.readTree(r.body());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        body = null; // a JSON content type over a body that is not JSON: the caller sees raw
      }
    }
    return new Response(r.statusCode(), type, body, r.body(), r.headers());
  }
}
