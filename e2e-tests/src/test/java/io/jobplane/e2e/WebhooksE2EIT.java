package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks end to end: a real server posts signed CloudEvents to a receiver in this test, retries
 * one that fails, and loses nothing (nor sends anything acknowledged twice) across a kill -9.
 */
class WebhooksE2EIT {

  private static final String SECRET = "e2e-signing-secret-0123456789";
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path dataDir;

  /** One request the receiver got, as it read it. */
  record Received(String id, String type, JsonNode event, boolean signed, String contentType) {}

  /**
   * A webhook receiver as a user would write one: verifies the signature over the exact body bytes,
   * answers what {@code answer} says for the event (by how many times its id was seen), and counts
   * the ids it acknowledged.
   */
  static final class Receiver implements AutoCloseable {
    final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();
    volatile Function<Integer, Integer> answer = n -> 204;

    Receiver() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/hook", this::handle);
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String signature = exchange.getRequestHeaders().getFirst("Jobplane-Signature");
      JsonNode event = Api.JSON.readTree(body);
      String id = event.path("id").asText();
      received.add(
          new Received(
              id,
              event.path("type").asText(),
              event,
              verifies(signature, body),
              exchange.getRequestHeaders().getFirst("Content-Type")));
      int n = seen.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      int status = answer.apply(n);
      if (status >= 200 && status < 300) {
        acknowledged.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    }

    /** The check a receiver makes: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>. */
    static boolean verifies(String header, byte[] body) {
      if (header == null) {
        return false;
      }
      String t = null;
      String v1 = null;
      for (String part : header.split(",")) {
        if (part.startsWith("t=")) {
          t = part.substring(2);
        } else if (part.startsWith("v1=")) {
          v1 = part.substring(3);
        }
      }
      if (t == null || v1 == null) {
        return false;
      }
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t));
        return age < 300 && MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
      } catch (Exception e) {
        return false;
      }
    }

    List<String> typesOf(String jobId) {
      return received.stream()
          .filter(r -> r.event().path("subject").asText().equals(jobId))
          .map(Received::type)
          .distinct()
          .toList();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  private static JobplaneProcess server(Path dataDir, int port) throws IOException {
    return JobplaneProcess.start(
        dataDir,
        port,
        "--metrics-public",
        "--webhook-retry-base-ms",
        "200",
        "--webhook-timeout-ms",
        "2000");
  }

  private static String createWebhook(Api api, String project, String filter, String url)
      throws Exception {
    Api.Response created =
        api.post(
            "/api/v1/projects/" + project + "/webhooks",
            "{\"url\":\"" + url + "\"," + filter + "\"secret\":\"" + SECRET + "\"}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    assertThat(created.raw()).doesNotContain(SECRET);
    return created.body().get("id").asText();
  }

  private static String submit(Api api, String project, String type) throws Exception {
    Api.Response r =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"hooked\",\"type\":\"" + type + "\",\"project\":\"" + project + "\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  /** The webhook's delivery log, newest first, as the API answers it. */
  private static JsonNode deliveryLog(Api api, String hook) throws Exception {
    return api.get("/api/v1/projects/default/webhooks/" + hook + "/deliveries").body().get("data");
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void everyTransitionAskedForArrivesOnceAsASignedCloudEvent() throws Exception {
    try (Receiver receiver = new Receiver();
        JobplaneProcess server = server(dataDir, 0)) {
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
      createWebhook(
          api,
          "default",
          "\"statuses\":[\"QUEUED\",\"STOPPED\"],\"types\":[\"etl\"],",
          receiver.url());

      String job = submit(api, "default", "etl");
      String otherType = submit(api, "default", "report");
      String otherProject = submit(api, "elsewhere", "etl");
      await().atMost(PATIENCE).until(() -> receiver.typesOf(job).size() == 1);
      assertThat(api.post("/api/v1/jobs/" + job + "/stop", "{}").status()).isEqualTo(200);

      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(receiver.typesOf(job))
                      .containsExactly("io.jobplane.job.queued", "io.jobplane.job.stopped"));
      assertThat(receiver.received).hasSize(2);
      assertThat(receiver.received).allSatisfy(r -> assertThat(r.signed()).isTrue());
      assertThat(receiver.received)
          .allSatisfy(r -> assertThat(r.contentType()).startsWith("application/cloudevents+json"));
      assertThat(receiver.typesOf(otherType)).isEmpty();
      assertThat(receiver.typesOf(otherProject)).isEmpty();

      JsonNode stopped = receiver.received.get(1).event();
      assertThat(stopped.get("specversion").asText()).isEqualTo("1.0");
      assertThat(stopped.get("source").asText()).isEqualTo("/api/v1/jobs/" + job);
      assertThat(stopped.get("subject").asText()).isEqualTo(job);
      assertThat(stopped.get("datacontenttype").asText()).isEqualTo("application/json");
      assertThat(stopped.hasNonNull("time")).isTrue();
      JsonNode data = stopped.get("data");
      assertThat(data.get("job_id").asText()).isEqualTo(job);
      assertThat(data.get("name").asText()).isEqualTo("hooked");
      assertThat(data.get("project").asText()).isEqualTo("default");
      assertThat(data.get("type").asText()).isEqualTo("etl");
      assertThat(data.get("from_status").asText()).isEqualTo("QUEUED");
      assertThat(data.get("to_status").asText()).isEqualTo("STOPPED");
      assertThat(data.get("run_id").asInt()).isEqualTo(1);
      assertThat(data.get("attempt").asInt()).isEqualTo(1);
    }
  }

  @Test
  void aReceiverThatFailsTheFirstThreeAttemptsStillGetsEveryEvent() throws Exception {
    try (Receiver receiver = new Receiver();
        JobplaneProcess server = server(dataDir, 0)) {
      receiver.answer = n -> n <= 3 ? 500 : 200;
      Api api = new Api(server.baseUrl(), JobplaneProcess.adminToken(dataDir));
      String hook = createWebhook(api, "default", "", receiver.url());

      String job = submit(api, "default", "etl");

      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(receiver.acknowledged.keySet())
                      .hasSize(2)
                      .allSatisfy(id -> assertThat(receiver.seen.get(id).get()).isEqualTo(4)));
      assertThat(receiver.typesOf(job))
          .containsExactly("io.jobplane.job.submitted", "io.jobplane.job.queued");
      assertThat(receiver.received).allSatisfy(r -> assertThat(r.signed()).isTrue());
      await()
          .atMost(PATIENCE)
          .untilAsserted(
              () -> {
                JsonNode log = deliveryLog(api, hook);
                assertThat(log).hasSize(2);
                assertThat(log)
                    .allSatisfy(
                        d -> {
                          assertThat(d.get("status").asText()).isEqualTo("DELIVERED");
                          assertThat(d.get("attempts").asInt()).isEqualTo(4);
                          assertThat(d.get("last_response_code").asInt()).isEqualTo(200);
                        });
              });
      String metrics = new Api(server.baseUrl(), null).get("/metrics").raw();
      assertThat(metrics).containsPattern("jobplane_webhook_delivery_failures_total\\S* 6\\.0");
      assertThat(metrics)
          .containsPattern("jobplane_webhook_deliveries_total\\{outcome=\"delivered\"\\S* 2\\.0");
    }
  }

  @Test
  void nothingIsLostOrSentTwiceWhenTheServerIsKilledBeforeDelivering() throws Exception {
    int port = freePort();
    try (Receiver receiver = new Receiver()) {
      AtomicBoolean up = new AtomicBoolean(false);
      receiver.answer = n -> up.get() ? 200 : 503;
      JobplaneProcess first = server(dataDir, port);
      String hook;
      List<String> jobs = new ArrayList<>();
      try {
        Api api = new Api(first.baseUrl(), JobplaneProcess.adminToken(dataDir));
        hook = createWebhook(api, "default", "", receiver.url());
        for (int i = 0; i < 3; i++) {
          jobs.add(submit(api, "default", "etl"));
        }
        // committed with the transitions, tried, not acknowledged: then the server dies
        await().atMost(PATIENCE).until(() -> deliveryLog(api, hook).size() == 6);
        await().atMost(PATIENCE).until(() -> !receiver.received.isEmpty());
      } finally {
        first.kill9();
      }
      assertThat(receiver.acknowledged).isEmpty();
      up.set(true);

      try (JobplaneProcess second = server(dataDir, port)) {
        Api api = new Api(second.baseUrl(), JobplaneProcess.adminToken(dataDir));
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () -> {
                  JsonNode log = deliveryLog(api, hook);
                  assertThat(log).hasSize(6);
                  assertThat(log)
                      .allSatisfy(d -> assertThat(d.get("status").asText()).isEqualTo("DELIVERED"));
                });
        // every delivery is acknowledged in the log, so none is pending and none can be re-sent
        assertThat(receiver.acknowledged).hasSize(6);
        assertThat(receiver.acknowledged.values())
            .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        for (String job : jobs) {
          assertThat(receiver.typesOf(job))
              .containsExactly("io.jobplane.job.submitted", "io.jobplane.job.queued");
        }
        assertThat(receiver.received).allSatisfy(r -> assertThat(r.signed()).isTrue());
      }
    }
  }
}
