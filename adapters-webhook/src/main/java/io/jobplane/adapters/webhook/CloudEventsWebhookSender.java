package io.jobplane.adapters.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.jobplane.application.port.out.WebhookSender;
import io.jobplane.application.security.WebhookSignature;
import io.jobplane.domain.webhook.WebhookEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * Posts a job event as a CloudEvents 1.0 event in the structured JSON format ({@code
 * application/cloudevents+json}), signed in {@link WebhookSignature#HEADER}.
 *
 * <p>The attributes: {@code id} the delivery's id (the same on every retry), {@code type} {@code
 * io.jobplane.job.<event>} (e.g. {@code io.jobplane.job.succeeded}), {@code source} {@code
 * /api/v1/jobs/<job id>}, {@code subject} the job id, {@code time} when it happened, and {@code
 * data} the job and its transition in the API's snake_case.
 *
 * <p>Requests time out, redirects are not followed (a receiver cannot bounce the server to another
 * address), and with {@code denyPrivateAddresses} a host that resolves to a loopback, private,
 * link-local or otherwise local address is refused before connecting.
 */
public final class CloudEventsWebhookSender implements WebhookSender {

  public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;
  public static final String TYPE_PREFIX = "io.jobplane.job.";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventFormat FORMAT = new JsonFormat();

  private final HttpClient client;
  private final Duration timeout;
  private final boolean denyPrivateAddresses;
  private final Clock clock;

  public CloudEventsWebhookSender(Duration timeout, boolean denyPrivateAddresses, Clock clock) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.denyPrivateAddresses = denyPrivateAddresses;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The exact bytes posted for {@code event}. */
  public static byte[] body(WebhookEvent event) {
    return FORMAT.serialize(cloudEvent(event));
  }

  static CloudEvent cloudEvent(WebhookEvent event) {
    WebhookEvent.Job job = event.job();
    WebhookEvent.Transition t = event.transition();
    return CloudEventBuilder.v1()
        .withId(event.id().toString())
        .withType(TYPE_PREFIX + t.type().name().toLowerCase(Locale.ROOT))
        .withSource(URI.create("/api/v1/jobs/" + job.id()))
        .withSubject(job.id().toString())
        .withTime(t.at().atOffset(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(data(event))
        .build();
  }

  private static byte[] data(WebhookEvent event) {
    WebhookEvent.Job job = event.job();
    WebhookEvent.Transition t = event.transition();
    ObjectNode data = JSON.createObjectNode();
    data.put("job_id", job.id().toString());
    data.put("name", job.name());
    data.put("project", job.project());
    data.put("type", job.type());
    data.put("event", t.type().name());
    data.put("from_status", t.from() == null ? null : t.from().name());
    data.put("to_status", t.to().name());
    data.put("run_id", t.runId());
    data.put("attempt", t.attempt());
    data.put("occurred_at", t.at().toString());
    try {
      return JSON.writeValueAsBytes(data);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  @Override
  public Outcome send(URI url, WebhookEvent event, String secret) {
    if (denyPrivateAddresses) {
      String refused = refusedHost(url.getHost());
      if (refused != null) {
        return Outcome.unanswered(refused);
      }
    }
    byte[] body = body(event);
    long now = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", CONTENT_TYPE + "; charset=utf-8")
            .header("User-Agent", "Jobplane-Webhooks")
            .header(WebhookSignature.HEADER, WebhookSignature.header(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return Outcome.answered(response.statusCode());
    } catch (HttpTimeoutException e) {
      return Outcome.unanswered("no answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      // the exception's class and message name the network failure, never the request's headers
      return Outcome.unanswered(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.unanswered("interrupted: the server is shutting down");
    }
  }

  /** Why the host may not be posted to, or null when it may. */
  static String refusedHost(String host) {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      return "unknown host " + host;
    }
    for (InetAddress a : addresses) {
      if (isLocal(a)) {
        return "refused: "
            + host
            + " resolves to a local or private address ("
            + a.getHostAddress()
            + "), which this server does not post to";
      }
    }
    return null;
  }

  static boolean isLocal(InetAddress a) {
    byte[] b = a.getAddress();
    // IPv6 unique local addresses (fc00::/7): the IPv6 counterpart of the private ranges
    boolean uniqueLocal = b.length == 16 && (b[0] & 0xfe) == 0xfc;
    // 100.64.0.0/10, carrier-grade NAT: not routable on the internet either
    boolean sharedSpace = b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    return a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()
        || uniqueLocal
        || sharedSpace;
  }
}
