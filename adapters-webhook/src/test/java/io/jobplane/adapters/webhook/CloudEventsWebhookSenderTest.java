package io.jobplane.adapters.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.jobplane.application.port.out.WebhookSender.Outcome;
import io.jobplane.application.security.WebhookSignature;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CloudEventsWebhookSenderTest {

  private static final String SECRET = "sender-secret-0123456789";
  private static final Instant AT = Instant.parse("2026-11-29T05:00:00.123456Z");

  private final WebhookEvent event =
      new WebhookEvent(
          UUID.randomUUID(),
          new WebhookEvent.Job(JobId.random(), "nightly import", "etl", "import"),
          new WebhookEvent.Transition(
              EventType.SUCCEEDED, JobStatus.RUNNING, JobStatus.SUCCEEDED, 2, 1, AT));

  @Test
  void theBodyIsACloudEventWithTheJobAndItsTransitionAsData() throws Exception {
    byte[] body = CloudEventsWebhookSender.body(event);
    CloudEvent parsed = new JsonFormat().deserialize(body);

    assertThat(parsed.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(parsed.getId()).isEqualTo(event.id().toString());
    assertThat(parsed.getType()).isEqualTo("io.jobplane.job.succeeded");
    assertThat(parsed.getSource()).hasToString("/api/v1/jobs/" + event.job().id());
    assertThat(parsed.getSubject()).isEqualTo(event.job().id().toString());
    assertThat(parsed.getTime().toInstant()).isEqualTo(AT);
    JsonNode data = new ObjectMapper().readTree(parsed.getData().toBytes());
    assertThat(data.get("name").asText()).isEqualTo("nightly import");
    assertThat(data.get("project").asText()).isEqualTo("etl");
    assertThat(data.get("from_status").asText()).isEqualTo("RUNNING");
    assertThat(data.get("to_status").asText()).isEqualTo("SUCCEEDED");
    assertThat(data.get("run_id").asInt()).isEqualTo(2);
    assertThat(CloudEventsWebhookSender.body(event))
        .as("the same bytes on every retry")
        .isEqualTo(body);
  }

  @Test
  void aPostIsSignedOverTheExactBodyAndItsStatusIsTheOutcome() throws Exception {
    AtomicReference<byte[]> body = new AtomicReference<>();
    AtomicReference<String> signature = new AtomicReference<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          body.set(exchange.getRequestBody().readAllBytes());
          signature.set(exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER));
          exchange.sendResponseHeaders(body.get().length > 0 ? 202 : 400, -1);
          exchange.close();
        });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/in");
      Outcome outcome =
          new CloudEventsWebhookSender(Duration.ofSeconds(5), false, Clock.systemUTC())
              .send(url, event, SECRET);

      assertThat(outcome.delivered()).isTrue();
      assertThat(outcome.statusCode()).isEqualTo(202);
      assertThat(WebhookSignature.verify(SECRET, signature.get(), body.get())).isTrue();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void localAndPrivateAddressesAreRefusedWhenAsked() throws Exception {
    for (String local :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "192.168.0.1",
          "169.254.169.254",
          "::1",
          "fd00::1",
          "100.64.0.1",
          "0.0.0.0"
        }) {
      assertThat(CloudEventsWebhookSender.isLocal(InetAddress.getByName(local))).as(local).isTrue();
    }
    assertThat(CloudEventsWebhookSender.isLocal(InetAddress.getByName("93.184.215.14"))).isFalse();
    Outcome refused =
        new CloudEventsWebhookSender(Duration.ofSeconds(5), true, Clock.systemUTC())
            .send(URI.create("http://127.0.0.1:9/in"), event, SECRET);
    assertThat(refused.delivered()).isFalse();
    assertThat(refused.statusCode()).isNull();
    assertThat(refused.error()).contains("local or private address").doesNotContain(SECRET);
  }

  @Test
  void anUnreachableReceiverIsAFailedOutcomeNotAnException() {
    Outcome outcome =
        new CloudEventsWebhookSender(Duration.ofSeconds(2), false, Clock.systemUTC())
            .send(URI.create("http://127.0.0.1:9/in"), event, SECRET);
    assertThat(outcome.delivered()).isFalse();
    assertThat(outcome.error()).isNotBlank().doesNotContain(SECRET);
  }
}
