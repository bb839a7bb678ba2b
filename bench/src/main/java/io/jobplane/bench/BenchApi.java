package io.jobplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The benchmarks' client of the API: one token, JSON answers, any non-2xx status is a failure. */
final class BenchApi {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private final String baseUrl;
  private final String token;

  BenchApi(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  JsonNode get(String path) throws Exception {
    return json.readTree(text(path));
  }

  JsonNode post(String path, String body) throws Exception {
    return json.readTree(
        send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build()));
  }

  String text(String path) throws Exception {
    return send(request(path).GET().build());
  }

  /** Sum of a Prometheus metric's samples (those whose labels contain {@code labelPart}). */
  double metric(String name, String labelPart) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(text("/metrics"));
    double sum = 0;
    while (m.find()) {
      if (labelPart == null || (m.group(1) != null && m.group(1).contains(labelPart))) {
        sum += Double.parseDouble(m.group(2));
      }
    }
    return sum;
  }

  /** The {@code p}-th percentile of sorted samples (nearest rank). */
  static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Authorization", "Bearer " + token);
  }

  private String send(HttpRequest request) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(request.uri() + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }
}
