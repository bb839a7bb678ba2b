package io.jobplane.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.security.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving path under hostile and greedy clients, against the real process: half-open
 * connections and hundreds of live streams must not starve anyone else, limits answer at once, and
 * what clients leave behind is released. Live streams are pushed by NOTIFY, not polled.
 */
class ServingPathE2EIT {

  private static final Pattern THREADS =
      Pattern.compile("(?m)^jvm_threads_live_threads\\S* (\\S+)$");
  private static final Pattern STREAMS = Pattern.compile("(?m)^jobplane_live_streams\\S* (\\S+)$");
  private static final Pattern STATEMENTS =
      Pattern.compile("(?m)^jobplane_database_statements_total\\S* (\\S+)$");

  @TempDir Path dataDir;
  @TempDir Path tokenDir;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  @Test
  void halfOpenConnectionsAndFiveHundredStreamsStarveNobodyAndLeaveNothingBehind()
      throws Exception {
    Tokens tokens = new Tokens().add("viewer", Role.VIEWER).add("admin", Role.ADMIN);
    Path file = tokens.write(tokenDir);
    try (JobplaneProcess server =
        JobplaneProcess.start(
            dataDir,
            "--tokens-file",
            file.toString(),
            "--metrics-public",
            "--max-streams-per-token",
            "500",
            "--max-streams",
            "2000",
            "--stream-heartbeat-seconds",
            "1")) {
      Api admin = new Api(server.baseUrl(), tokens.token("admin"));
      String id =
          admin
              .post("/api/v1/jobs", "{\"name\":\"probe\",\"type\":\"t\"}")
              .body()
              .get("id")
              .asText();
      String viewer = tokens.token("viewer");
      // warm up: the stream machinery's own threads exist before the baseline is taken
      for (int i = 0; i < 3; i++) {
        openStream(server.port(), viewer, "/api/v1/jobs").close();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> metric(server, STREAMS) == 0);
      double baselineThreads = metric(server, THREADS);

      List<Socket> halfOpen = new ArrayList<>();
      List<Socket> streams = new ArrayList<>();
      try {
        for (int i = 0; i < 64; i++) {
          Socket s = new Socket("127.0.0.1", server.port());
          s.getOutputStream().write("GET /healthz HT".getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          halfOpen.add(s);
        }
        for (int i = 0; i < 500; i++) {
          Socket s = openStream(server.port(), viewer, "/api/v1/jobs?status=queued,running");
          streams.add(s);
        }
        for (int i = 0; i < 5; i++) {
          try (Socket refused = new Socket("127.0.0.1", server.port())) {
            String head = request(refused, viewer, "/api/v1/jobs");
            assertThat(head).startsWith("HTTP/1.1 429");
            assertThat(head.toLowerCase()).contains("content-type: application/problem+json");
            assertThat(head.toLowerCase()).contains("retry-after:");
          }
        }
        assertThat(metric(server, STREAMS)).isEqualTo(500);
        for (int i = 0; i < 5; i++) {
          assertAnswersWithinOneSecond(server.baseUrl() + "/healthz", null);
          assertAnswersWithinOneSecond(server.baseUrl() + "/api/v1/jobs/" + id, viewer);
        }
      } finally {
        for (Socket s : halfOpen) {
          s.close();
        }
        for (Socket s : streams) {
          s.close();
        }
      }
      // heartbeats find the closed peers; idle request threads go back to the pool
      await().atMost(Duration.ofSeconds(60)).until(() -> metric(server, STREAMS) == 0);
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> assertThat(metric(server, THREADS)).isLessThanOrEqualTo(baselineThreads + 2));
      assertThat(server.output())
          .as("a client leaving is not an error")
          .noneMatch(line -> line.contains("ERROR") || line.contains("\tat "));
    }
  }

  @Test
  void aLogLineAndAJobEventReachFollowersWithinOneSecondWithoutAPollingQuery() throws Exception {
    Tokens tokens = new Tokens().add("admin", Role.ADMIN).add("worker", Role.WORKER);
    Path file = tokens.write(tokenDir);
    try (JobplaneProcess server =
        JobplaneProcess.start(
            dataDir,
            "--tokens-file",
            file.toString(),
            "--metrics-public",
            "--sweep-interval-ms",
            "3600000")) {
      Api admin = new Api(server.baseUrl(), tokens.token("admin"));
      String id =
          admin
              .post("/api/v1/jobs", "{\"name\":\"followed\",\"type\":\"t\",\"queue\":\"follow\"}")
              .body()
              .get("id")
              .asText();
      ProtocolWorker worker =
          new ProtocolWorker(new Api(server.baseUrl(), tokens.token("worker")), "w1");
      ProtocolWorker.Lease lease = worker.claim("follow", 1, 60).get(0);

      SseReader events =
          SseReader.open(
              server.port(),
              tokens.token("admin"),
              "/api/v1/jobs/" + id + "/events?until=finished");
      SseReader logs =
          SseReader.open(
              server.port(), tokens.token("admin"), "/api/v1/jobs/" + id + "/logs?follow=true");
      // history first: submitted, queued, started
      assertThat(events.next(Duration.ofSeconds(5)).get("event").get("to_status").asText())
          .isEqualTo("PENDING");
      events.next(Duration.ofSeconds(5));
      events.next(Duration.ofSeconds(5));

      // idle streams cost the database nothing: over 3 s, only what a /metrics scrape itself
      // reads (the job count gauges) is counted
      double first = metric(server, STATEMENTS);
      double second = metric(server, STATEMENTS);
      double scrape = second - first;
      Thread.sleep(3000);
      assertThat(metric(server, STATEMENTS) - second)
          .as("statements while two streams sat idle for 3 s, beyond a scrape's own")
          .isLessThanOrEqualTo(scrape);

      long sent = System.nanoTime();
      Api.Response posted =
          new Api(server.baseUrl(), tokens.token("worker"))
              .post(
                  lease.reportPath("logs"),
                  "{"
                      + lease.proof()
                      + ",\"lines\":[{\"level\":\"info\",\"message\":\"hello follower\"}]}");
      assertThat(posted.status()).as(posted.raw()).isEqualTo(200);
      JsonNode line = logs.next(Duration.ofSeconds(1));
      assertThat(line.get("message").asText()).isEqualTo("hello follower");
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));

      sent = System.nanoTime();
      assertThat(worker.complete(lease).status()).isEqualTo(200);
      JsonNode finished = events.next(Duration.ofSeconds(1));
      assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(1));
      assertThat(finished.get("event").get("to_status").asText()).isEqualTo("SUCCEEDED");
      assertThat(events.nextName(Duration.ofSeconds(5))).isEqualTo("end");
      events.close();
      logs.close();
    }
  }

  private void assertAnswersWithinOneSecond(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    long start = System.nanoTime();
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as(url)
        .isLessThan(Duration.ofSeconds(1));
  }

  private static Socket openStream(int port, String token, String path) throws IOException {
    return openStream(port, token, path, "HTTP/1.1");
  }

  /** HTTP/1.0 streams are not chunked, so their lines can be read as they are. */
  private static Socket openStream(int port, String token, String path, String version)
      throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    String head = request(s, token, path, version);
    assertThat(head).as(head).matches("(?s)HTTP/1\\.[01] 200.*");
    return s;
  }

  /** Sends a stream request and reads the answer's head. */
  private static String request(Socket s, String token, String path) throws IOException {
    return request(s, token, path, "HTTP/1.1");
  }

  private static String request(Socket s, String token, String path, String version)
      throws IOException {
    s.setSoTimeout(10_000);
    OutputStream out = s.getOutputStream();
    out.write(
        ("GET "
                + path
                + " "
                + version
                + "\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                + "Authorization: Bearer "
                + token
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    StringBuilder head = new StringBuilder();
    var in = s.getInputStream();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    return head.toString();
  }

  private static double metric(JobplaneProcess server, Pattern pattern)
      throws IOException, InterruptedException {
    String text = new Api(server.baseUrl(), null).get("/metrics").raw();
    Matcher m = pattern.matcher(text);
    assertThat(m.find()).as("metric %s in /metrics", pattern).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** Reads server-sent events off a raw socket into a queue. */
  static final class SseReader implements AutoCloseable {
    private final Socket socket;
    private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();

    private SseReader(Socket socket) {
      this.socket = socket;
    }

    static SseReader open(int port, String token, String path) throws IOException {
      Socket s = openStream(port, token, path, "HTTP/1.0");
      s.setSoTimeout(0);
      SseReader reader = new SseReader(s);
      Thread t = new Thread(reader::read, "sse-reader");
      t.setDaemon(true);
      t.start();
      return reader;
    }

    private void read() {
      try {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String name = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isEmpty()) {
            if (data.length() > 0) {
              events.add(new String[] {name, data.toString()});
            }
            name = null;
            data.setLength(0);
          } else if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
          // comments (keep-alive) and the retry field are skipped
        }
      } catch (IOException e) {
        // closed
      }
    }

    JsonNode next(Duration timeout) throws Exception {
      String[] e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("an event within %s", timeout).isNotNull();
      JsonNode data = Api.JSON.readTree(e[1]);
      // job events carry the event in "event"; log lines are the line itself
      return data;
    }

    String nextName(Duration timeout) throws Exception {
      String[] e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(e).as("an event within %s", timeout).isNotNull();
      return e[0];
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
