package io.jobplane.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.adapters.rest.json.ObjectMapperResolver;
import io.jobplane.adapters.rest.problem.JsonProcessingExceptionMapper;
import io.jobplane.adapters.rest.problem.UnexpectedExceptionMapper;
import io.jobplane.adapters.rest.problem.WebApplicationExceptionMapper;
import io.jobplane.application.service.LiveLimits;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the container itself enforces, over raw sockets: limits, timeouts, errors, shutdown. */
class JettyHttpServerTest {

  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  @Path("/")
  public static class Probe {
    @GET
    @Path("ok")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> ok() {
      return Map.of("status", "UP");
    }

    @POST
    @Path("echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> echo(Map<String, Object> body) {
      return body;
    }

    @GET
    @Path("slow")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, String> slow() throws InterruptedException {
      RELEASE.await(10, TimeUnit.SECONDS);
      return Map.of("status", "done");
    }
  }

  private JettyHttpServer server;

  @BeforeEach
  void start() throws Exception {
    ResourceConfig app = new ResourceConfig(Probe.class);
    app.register(JacksonFeature.withoutExceptionMappers());
    app.register(ObjectMapperResolver.class);
    app.register(JsonProcessingExceptionMapper.class);
    app.register(WebApplicationExceptionMapper.class);
    app.register(UnexpectedExceptionMapper.class);
    HttpSettings settings =
        new HttpSettings(
            Duration.ofSeconds(2),
            100,
            4096,
            1000,
            Duration.ofSeconds(5),
            new LiveLimits(10, 10, Duration.ofSeconds(1)));
    server = JettyHttpServer.start("127.0.0.1", 0, settings, app);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private String exchange(String request) throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String get(String target, String... headers) {
    return "GET "
        + target
        + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + String.join("", headers)
        + "\r\n";
  }

  @Test
  void aMalformedPercentEncodingIsAProblemDocument() throws IOException {
    String answer = exchange(get("/ok%zz"));
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("Content-Type: application/problem+json");
    // the container closes the connection after such an answer, and says so
    assertThat(answer).contains("Connection: close");
    assertThat(answer).contains("\"status\":400").doesNotContain("Exception");
  }

  @Test
  void aMalformedRequestLineIsAProblemDocument() throws IOException {
    String answer = exchange("GET /ok HTTP/1.1 extra\r\nHost: x\r\n\r\n");
    assertThat(answer).startsWith("HTTP/1.1 400");
    assertThat(answer).contains("application/problem+json");
  }

  @Test
  void headersOverTheLimitAre431() throws IOException {
    String answer = exchange(get("/ok", "X-Big: " + "a".repeat(8000) + "\r\n"));
    assertThat(answer).startsWith("HTTP/1.1 431");
    assertThat(answer).contains("application/problem+json");
  }

  @Test
  void aDeclaredBodyOverTheLimitIs413BeforeReading() throws IOException {
    String answer =
        exchange(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 5000\r\nConnection: close\r\n\r\n{}");
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("application/problem+json");
  }

  @Test
  void aClientStillSendingAnOversizedBodyHearsThe413EveryTime() throws Exception {
    for (int i = 0; i < 40; i++) {
      int size = 2_000_000 + (i % 4) * 2_000_000; // 2 to 8 MB, all within the drain bound
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.setSoTimeout(10_000);
        Thread writer = writeBody(s.getOutputStream(), size, 0);
        String answer;
        try {
          answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          throw new AssertionError("attempt " + i + " (" + size + " bytes): " + e, e);
        }
        writer.join(10_000);
        assertThat(answer).as("attempt %d", i).startsWith("HTTP/1.1 413");
        assertThat(answer).as("attempt %d", i).contains("application/problem+json");
        assertThat(answer).as("attempt %d", i).contains("payload-too-large");
      }
    }
  }

  @Test
  void aJavaHttpClientSendingAnOversizedBodyGetsTheProblemEveryTime() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    for (int i = 0; i < 30; i++) {
      byte[] body = new byte[2_000_000 + (i % 4) * 2_000_000];
      Arrays.fill(body, (byte) 'a');
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<String> answer;
      try {
        answer = client.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new AssertionError("attempt " + i + " (" + body.length + " bytes): " + e, e);
      }
      assertThat(answer.statusCode()).as("attempt %d", i).isEqualTo(413);
      assertThat(answer.headers().firstValue("Content-Type"))
          .as("attempt %d", i)
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }
  }

  @Test
  void aBodyPastTheDrainBoundIsNotReadToItsEnd() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      long declared = 1L << 30;
      AtomicLong sent = new AtomicLong();
      Thread writer = writeBody(s.getOutputStream(), declared, 0, sent);
      try {
        s.getInputStream().readAllBytes();
      } catch (IOException resetAfterTheBound) {
        // what the client hears past the bound is not the point here
      }
      writer.join(10_000);
      assertThat(writer.isAlive()).as("the server still reads").isFalse();
      // what the server read, plus what the two sockets' buffers hold
      assertThat(sent.get()).isLessThan(DrainingSizeLimitHandler.DRAIN_BYTES + 32L * 1024 * 1024);
    }
  }

  @Test
  void aClientTricklingAnOversizedBodyIsCutOffAfterTheDrainTime() throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(15_000);
      long start = System.nanoTime();
      // a byte every 500 ms keeps the connection clear of the 2 s idle timeout
      Thread writer = writeBody(s.getOutputStream(), 5_000_000, 500);
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 413");
      // the answer comes at once; the writer stops only when the server closes on it
      writer.join(15_000);
      Duration reading = Duration.ofNanos(System.nanoTime() - start);
      assertThat(writer.isAlive()).as("the server still reads").isFalse();
      assertThat(reading)
          .isGreaterThanOrEqualTo(DrainingSizeLimitHandler.DRAIN_TIME.minusMillis(500))
          .isLessThan(DrainingSizeLimitHandler.DRAIN_TIME.plusSeconds(5));
    }
  }

  /**
   * Sends a POST with a Content-Length body from another thread, so the test can read the answer
   * while the body is still going; stops quietly when the server closes the connection. A positive
   * {@code pauseMillis} sends the body a byte at a time with that pause between bytes.
   */
  private Thread writeBody(OutputStream out, long size, long pauseMillis) {
    return writeBody(out, size, pauseMillis, new AtomicLong());
  }

  private Thread writeBody(OutputStream out, long size, long pauseMillis, AtomicLong sent) {
    Thread writer =
        new Thread(
            () -> {
              byte[] block = new byte[pauseMillis > 0 ? 1 : 64 * 1024];
              Arrays.fill(block, (byte) 'a');
              try {
                out.write(
                    ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            + "Content-Length: "
                            + size
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                while (sent.get() < size) {
                  int n = (int) Math.min(block.length, size - sent.get());
                  out.write(block, 0, n);
                  out.flush();
                  sent.addAndGet(n);
                  if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                  }
                }
              } catch (IOException | InterruptedException closedOrStopped) {
                // the server has answered and closed, or the test is over
              }
            },
            "body-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  @Test
  void aChunkedBodyGrowingOverTheLimitIs413() throws IOException {
    String json = "{\"x\":\"" + "a".repeat(3000) + "\"}";
    String chunked = Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";
    String answer =
        exchange(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + chunked);
    assertThat(answer).startsWith("HTTP/1.1 413");
    assertThat(answer).contains("payload-too-large");
  }

  @Test
  void aBodyWithinTheLimitIsServed() throws IOException {
    String answer =
        exchange(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 7\r\nConnection: close\r\n\r\n{\"a\":1}");
    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"a\":1}");
  }

  @Test
  void aConnectionThatNeverFinishesItsHeadersIsClosedAfterTheIdleTimeout() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET /ok HT".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      long start = System.nanoTime();
      InputStream in = s.getInputStream();
      byte[] rest = in.readAllBytes(); // ends when the server closes the connection
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
      assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotContain("200");
    }
  }

  @Test
  void shutdownLetsARequestInFlightFinishAndRefusesNewOnesWith503() throws Exception {
    try (Socket slow = new Socket("127.0.0.1", server.port());
        Socket idle = new Socket("127.0.0.1", server.port())) {
      slow.setSoTimeout(10_000);
      idle.setSoTimeout(10_000);
      // a keep-alive connection that made one request before the shutdown
      OutputStream idleOut = idle.getOutputStream();
      idleOut.write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      idleOut.flush();
      assertThat(readHead(idle.getInputStream())).startsWith("HTTP/1.1 200");
      slow.getOutputStream().write(get("/slow").getBytes(StandardCharsets.US_ASCII));
      slow.getOutputStream().flush();
      Thread.sleep(200); // the slow request is in flight

      Thread stopper =
          new Thread(
              () -> {
                try {
                  server.close();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      stopper.start();
      Thread.sleep(300); // shutting down, waiting for /slow
      idleOut.write(get("/ok").getBytes(StandardCharsets.US_ASCII));
      idleOut.flush();
      String refused =
          new String(idle.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(refused).contains("HTTP/1.1 503").contains("application/problem+json");

      RELEASE.countDown();
      String finished =
          new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(finished).startsWith("HTTP/1.1 200").contains("done");
      stopper.join(10_000);
    }
  }

  @Test
  void anAnswerGivenWithoutReadingTheBodyKeepsTheConnectionUsable() throws IOException {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String body = "{\"a\":\"" + "x".repeat(500) + "\"}";
      for (int i = 0; i < 20; i++) {
        // the media type is refused (415) before the body is read; head and body arrive apart
        out.write(
            ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\n"
                    + "Content-Length: "
                    + body.length()
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write(body.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead(s.getInputStream());
        assertThat(head).as("answer %d", i).startsWith("HTTP/1.1 415");
        assertThat(head.toLowerCase()).doesNotContain("connection: close");
      }
      out.write("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 200");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int contentLength = 0;
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      head.append((char) c);
    }
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        contentLength = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(contentLength);
    return head.toString();
  }
}
