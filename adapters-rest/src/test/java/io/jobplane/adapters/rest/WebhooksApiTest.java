package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.application.port.in.ManageWebhooksUseCase;
import io.jobplane.application.service.WebhooksService;
import io.jobplane.application.testing.WebhookTestData;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookId;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The webhooks routes over the real service and in-memory stores. */
class WebhooksApiTest extends ApiTestSupport {

  private static final String SECRET = "never-shown-0123456789";
  private static final String HOOKS = "api/v1/projects/default/webhooks";
  private static final String ETL_HOOKS = "api/v1/projects/etl/webhooks";

  private final List<String> answers = new ArrayList<>();

  private Response send(Response r) {
    r.bufferEntity();
    answers.add(r.readEntity(String.class));
    return r;
  }

  private Response postAs(String token, String path, String json) {
    return send(as(token, path).post(Entity.entity(json, MediaType.APPLICATION_JSON)));
  }

  private Response put(String token, String path, String json) {
    return send(as(token, path).put(Entity.entity(json, MediaType.APPLICATION_JSON)));
  }

  private Response read(String token, String path) {
    return send(get(token, path));
  }

  /** The fields a create with {@code body} is refused for (with 400 problem+json). */
  private List<String> refused(String body) {
    return errorNames(problem(postAs(SUBMITTER, HOOKS, body), 400));
  }

  private static String hook(String url) {
    return "{\"url\":\""
        + url
        + "\",\"statuses\":[\"succeeded\",\"FAILED\"],\"types\":[\"etl\"],"
        + "\"labels\":\"env=prod\",\"secret\":\""
        + SECRET
        + "\"}";
  }

  private JsonNode created(String token, String path) {
    Response r = postAs(token, path, hook("https://hooks.example.com/in"));
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(201);
    return body;
  }

  @Test
  void aSubmitterCreatesListsReplacesAndDeletesAWebhookWithoutEverSeeingItsSecret() {
    JsonNode hook = created(SUBMITTER, HOOKS);
    String id = hook.get("id").asText();
    assertThat(hook.get("url").asText()).isEqualTo("https://hooks.example.com/in");
    assertThat(hook.get("statuses").toString()).isEqualTo("[\"SUCCEEDED\",\"FAILED\"]");
    assertThat(hook.get("types").toString()).isEqualTo("[\"etl\"]");
    assertThat(hook.get("labels").asText()).isEqualTo("env=prod");
    assertThat(hook.has("secret")).isFalse();

    assertThat(json(read(SUBMITTER, HOOKS)).at("/data/0/id").asText()).isEqualTo(id);
    assertThat(json(read(ADMIN, HOOKS + "/" + id)).get("project").asText()).isEqualTo("default");

    Response replaced =
        put(SUBMITTER, HOOKS + "/" + id, "{\"url\":\"http://other.example.com/x\"}");
    assertThat(replaced.getStatus()).isEqualTo(200);
    JsonNode after = json(replaced);
    assertThat(after.get("url").asText()).isEqualTo("http://other.example.com/x");
    assertThat(after.get("statuses").toString()).isEqualTo("[]");
    assertThat(after.get("labels").isNull()).isTrue();

    assertThat(send(as(SUBMITTER, HOOKS + "/" + id).delete()).getStatus()).isEqualTo(204);
    problem(read(SUBMITTER, HOOKS + "/" + id), 404);
    assertThat(String.join("\n", answers)).doesNotContain(SECRET);
  }

  @Test
  void anotherProjectsWebhookIsMissingWhateverTheRequest() {
    String id = created(SUBMITTER, HOOKS).get("id").asText();
    String path = HOOKS + "/" + id;

    JsonNode existing = problem(read(ETL, path), 404);
    JsonNode missing = problem(read(ETL, HOOKS + "/" + UUID.randomUUID()), 404);
    assertThat(existing.get("detail")).isEqualTo(missing.get("detail"));
    problem(read(ETL, HOOKS), 404);
    problem(postAs(ETL, HOOKS, "not even json"), 404);
    problem(put(ETL, path, hook("https://evil.example.com/")), 404);
    problem(send(as(ETL, path).delete()), 404);
    problem(read(ETL, path + "/deliveries"), 404);
    problem(postAs(ETL, path + "/deliveries/" + UUID.randomUUID() + "/redeliver", ""), 404);
    // the project's own path and a webhook id of another project: 404 too
    problem(read(ETL, ETL_HOOKS + "/" + id), 404);
    assertThat(json(read(SUBMITTER, path)).get("url").asText())
        .isEqualTo("https://hooks.example.com/in");
  }

  @Test
  void onlyCallersWhoMaySubmitInTheProjectSeeOrWriteWebhooks() {
    problem(read(VIEWER, HOOKS), 403);
    problem(postAs(WORKER, HOOKS, hook("https://hooks.example.com/in")), 403);
    problem(postAs(null, HOOKS, hook("https://hooks.example.com/in")), 401);
    assertThat(created(ETL, ETL_HOOKS).get("project").asText()).isEqualTo("etl");
  }

  @Test
  void badInputIsA400NamingTheFieldAndNeverQuotingTheSecret() {
    assertThat(refused(hook("file:///etc/passwd"))).containsExactly("url");
    assertThat(refused(hook("ftp://example.com/"))).containsExactly("url");
    assertThat(refused(hook("https://example.com/" + "a".repeat(3000)))).containsExactly("url");
    assertThat(refused("{\"url\":\"https://example.com/\",\"secret\":\"short\"}"))
        .containsExactly("secret");
    assertThat(refused("{\"url\":\"https://example.com/\"}")).containsExactly("secret");
    assertThat(
            refused(
                "{\"url\":\"https://example.com/\",\"statuses\":[\"DONE\"],\"secret\":\""
                    + SECRET
                    + "\"}"))
        .containsExactly("statuses");
    assertThat(refused("{\"url\":\"https://example.com/\",\"sekret\":\"" + SECRET + "\"}"))
        .containsExactly("sekret");
    problem(postAs(SUBMITTER, HOOKS, "{\"url\":\"https://x/\",\"secret\":\"" + SECRET + "\""), 400);
    problem(postAs(SUBMITTER, HOOKS, "{\"secret\": " + SECRET + "}"), 400);
    problem(read(SUBMITTER, HOOKS + "/not-a-uuid"), 400);
    assertThat(String.join("\n", answers)).doesNotContain(SECRET);
  }

  @Test
  void aProjectHoldsALimitedNumberOfWebhooks() {
    for (int i = 0; i < ManageWebhooksUseCase.MAX_WEBHOOKS_PER_PROJECT; i++) {
      created(SUBMITTER, HOOKS);
    }
    problem(postAs(SUBMITTER, HOOKS, hook("https://hooks.example.com/in")), 409);
  }

  @Test
  void theDeliveryLogPagesNewestFirstAndADeliveredEventCanBeSentAgain() {
    String id = created(SUBMITTER, HOOKS).get("id").asText();
    WebhookId webhook = WebhookId.parse(id, "id");
    List<UUID> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      WebhookEvent e = WebhookTestData.aSucceededJob("default", clock.instant());
      webhookOutbox.enqueue(
          webhook,
          URI.create("https://hooks.example.com/in"),
          cipher.seal(SECRET, WebhooksService.aad("default", webhook)),
          e);
      queued.add(e.id());
    }

    JsonNode page = json(read(SUBMITTER, HOOKS + "/" + id + "/deliveries?limit=2"));
    assertThat(page.at("/data/0/id").asText()).isEqualTo(queued.get(2).toString());
    assertThat(page.at("/data/0/type").asText()).isEqualTo("io.jobplane.job.succeeded");
    assertThat(page.at("/data/0/status").asText()).isEqualTo("PENDING");
    assertThat(page.at("/data/0/next_attempt_at").isNull()).isFalse();
    JsonNode rest =
        json(
            read(
                SUBMITTER,
                HOOKS + "/" + id + "/deliveries?before=" + page.get("next_cursor").asText()));
    assertThat(rest.at("/data/0/id").asText()).isEqualTo(queued.get(0).toString());
    assertThat(rest.get("next_cursor").isNull()).isTrue();
    assertThat(errorNames(problem(read(SUBMITTER, HOOKS + "/" + id + "/deliveries?limit=0"), 400)))
        .containsExactly("limit");

    String redeliver = HOOKS + "/" + id + "/deliveries/" + queued.get(0) + "/redeliver";
    problem(postAs(SUBMITTER, redeliver, ""), 409);
    var claimed = webhookOutbox.claim(clock.instant(), java.time.Duration.ofMinutes(1), 10);
    claimed.forEach(
        c -> webhookOutbox.delivered(c.event().id(), c.attempts(), 200, clock.instant()));
    Response again = postAs(SUBMITTER, redeliver, "");
    assertThat(again.getStatus()).isEqualTo(202);
    assertThat(json(again).get("status").asText()).isEqualTo("PENDING");
    assertThat(json(again).get("id").asText()).isEqualTo(queued.get(0).toString());
    problem(
        postAs(SUBMITTER, HOOKS + "/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver", ""),
        404);
    assertThat(String.join("\n", answers)).doesNotContain(SECRET);
  }
}
