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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
