package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.service.LiveLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.servlet.ServletContainer;
import org.glassfish.jersey.servlet.async.AsyncContextDelegateProviderImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live streams over Jersey's servlet container on Jetty, as production serves them (the in-memory
 * test container would wait for the end of the response).
 */
class WatchApiTest extends ApiTestSupport {

  private Server server;
  private URI base;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** One server-sent event as read off the wire. */
  record Sse(String id, String name, JsonNode data) {}

  @Override
  LiveLimits liveLimits() {
    return new LiveLimits(100, 2, Duration.ofMillis(200));
  }

  @BeforeEach
  void startServer() throws Exception {
    JobplaneApi api = (JobplaneApi) configure(); // fresh fixtures, shared with this server only
    api.register(
        new org.glassfish.jersey.internal.inject.AbstractBinder() {
          @Override
          protected void configure() {
            bind(AsyncContextDelegateProviderImpl.class)
                .to(org.glassfish.jersey.servlet.spi.AsyncContextDelegateProvider.class);
          }
        }); // as the production container does
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder jersey = new ServletHolder(new ServletContainer(api));
    jersey.setAsyncSupported(true);
    context.addServlet(jersey, "/*");
    server.setHandler(context);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
  }

  @AfterEach
  void stopServer() throws Exception {
    live.close();
    server.stop();
  }

  private HttpResponse<String> call(
      String token, String method, String path, String body, String accept) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String submitJob(String token, String json) throws Exception {
    HttpResponse<String> r = call(token, "POST", "api/v1/jobs", json, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return JSON.readTree(r.body()).get("id").asText();
  }

  private HttpResponse<Stream<String>> open(String token, String path, String lastEventId)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream");
    if (lastEventId != null) {
      b.header("Last-Event-ID", lastEventId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
  }

  /** Reads events (skipping comments) until {@code count} arrived; also collects comments. */
  private static List<Sse> read(Iterator<String> lines, int count, List<String> comments)
      throws Exception {
    List<Sse> events = new ArrayList<>();
    String id = null;
    String name = null;
    StringBuilder data = new StringBuilder();
    while (events.size() < count && lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          events.add(new Sse(id, name, JSON.readTree(data.toString())));
        }
        id = null;
        name = null;
        data.setLength(0);
      } else if (line.startsWith(":")) {
        comments.add(line);
      } else if (line.startsWith("id:")) {
        id = line.substring(3).trim();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).trim());
      }
    }
    return events;
  }

  @Test
  void a_job_stream_sends_its_events_live_and_resumes_after_last_event_id() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          String id = submitJob(SUBMITTER, "{\"name\":\"watched\",\"type\":\"t\"}");
          submitJob(SUBMITTER, "{\"name\":\"other\",\"type\":\"t\"}");
          HttpResponse<Stream<String>> r = open(VIEWER, "api/v1/jobs/" + id + "/events", null);
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.headers().firstValue("Content-Type").orElse(""))
              .startsWith("text/event-stream");
          List<String> comments = new ArrayList<>();
          List<Sse> first;
          try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            first = read(it, 2, comments);
            assertThat(first).hasSize(2);
            assertThat(first)
                .allSatisfy(e -> assertThat(e.data().get("job_id").asText()).isEqualTo(id));
            assertThat(first.get(0).name()).isEqualTo("job_event");
            assertThat(Long.parseLong(first.get(1).id()))
                .isGreaterThan(Long.parseLong(first.get(0).id()));
            assertThat(first.get(1).data().get("id").asText()).isEqualTo(first.get(1).id());
            // a change made now arrives on the open stream
            assertThat(
                    call(SUBMITTER, "POST", "api/v1/jobs/" + id + "/suspend", null, null)
                        .statusCode())
                .isEqualTo(200);
            List<Sse> live = read(it, 1, comments);
            assertThat(live.get(0).data().at("/event/to_status").asText()).isEqualTo("SUSPENDED");
            // idle streams get keep-alive comments
            long before = comments.size();
            while (comments.size() < before + 1) {
              read(it, 0, comments);
              if (it.hasNext()) {
                String line = it.next();
                if (line.startsWith(":")) {
                  comments.add(line);
                }
              }
            }
            assertThat(comments).anySatisfy(c -> assertThat(c).contains("keep-alive"));
          }
          // resuming after the first event starts exactly at the second
          HttpResponse<Stream<String>> resumed =
              open(VIEWER, "api/v1/jobs/" + id + "/events", first.get(0).id());
          try (Stream<String> lines = resumed.body()) {
            List<Sse> rest = read(lines.iterator(), 2, new ArrayList<>());
            assertThat(rest).extracting(Sse::id).startsWith(first.get(1).id());
            assertThat(rest.get(1).data().at("/event/to_status").asText()).isEqualTo("SUSPENDED");
          }
        });
  }

  @Test
  void the_all_jobs_stream_shows_only_visible_projects() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          String old = submitJob(ETL, "{\"name\":\"before\",\"type\":\"t\",\"project\":\"etl\"}");
          // without Last-Event-ID a list stream starts now: the job above is not replayed
          HttpResponse<Stream<String>> r = open(ETL, "api/v1/jobs", null);
          assertThat(r.statusCode()).isEqualTo(200);
          submitJob(SUBMITTER, "{\"name\":\"hidden\",\"type\":\"t\"}");
          String etl = submitJob(ETL, "{\"name\":\"mine\",\"type\":\"t\",\"project\":\"etl\"}");
          assertThat(etl).isNotEqualTo(old);
          try (Stream<String> lines = r.body()) {
            List<Sse> events = read(lines.iterator(), 1, new ArrayList<>());
            assertThat(events.get(0).data().get("job_id").asText()).isEqualTo(etl);
            assertThat(events.get(0).data().get("project").asText()).isEqualTo("etl");
          }
        });
  }

  @Test
  void json_stays_the_default_and_invisible_jobs_are_404() throws Exception {
    String id = submitJob(SUBMITTER, "{\"name\":\"j\",\"type\":\"t\"}");
    for (String accept : new String[] {null, "*/*", "application/json"}) {
      HttpResponse<String> events =
          call(VIEWER, "GET", "api/v1/jobs/" + id + "/events", null, accept);
      assertThat(events.statusCode()).isEqualTo(200);
      assertThat(events.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
      assertThat(JSON.readTree(events.body()).has("items")).isTrue();
      HttpResponse<String> list = call(VIEWER, "GET", "api/v1/jobs", null, accept);
      assertThat(list.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
    }
    HttpResponse<String> hidden =
        call(ETL, "GET", "api/v1/jobs/" + id + "/events", null, "text/event-stream");
    assertThat(hidden.statusCode()).isEqualTo(404);
    assertThat(hidden.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(
            call(VIEWER, "GET", "api/v1/jobs/not-a-uuid/events", null, "text/event-stream")
                .statusCode())
        .isEqualTo(400);
    HttpResponse<String> badResume =
        http.send(
            HttpRequest.newBuilder(base.resolve("api/v1/jobs/" + id + "/events"))
                .header("Authorization", "Bearer " + VIEWER)
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "abc")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badResume.statusCode()).isEqualTo(400);
    assertThat(call(WORKER, "GET", "api/v1/jobs", null, "text/event-stream").statusCode())
        .isEqualTo(403);
  }

  @Test
  void the_stream_of_every_job_refuses_expand_and_fields_saying_why() throws Exception {
    HttpResponse<String> expanded =
        call(VIEWER, "GET", "api/v1/jobs?expand=tasks&fields=id", null, "text/event-stream");

    assertThat(expanded.statusCode()).isEqualTo(400);
    assertThat(expanded.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    JsonNode problem = JSON.readTree(expanded.body());
    assertThat(errorNames(problem)).containsExactlyInAnyOrder("expand", "fields");
    assertThat(problem.at("/errors/0/message").asText())
        .contains("the event stream sends timeline events")
        .contains("applies to the JSON list");
  }
}
