package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST/GET/DELETE /api/v1/tokens and how the tokens they issue authenticate. */
class TokensApiTest extends ApiTestSupport {

  private Response issue(String token, Map<String, Object> fields) {
    return post(token, "api/v1/tokens", body(fields));
  }

  private JsonNode issued(Map<String, Object> fields) {
    Response r = issue(ADMIN, fields);
    JsonNode body = json(r);
    assertThat(r.getStatus()).as(body.toString()).isEqualTo(201);
    return body;
  }

  @Test
  void anAdminIssuesATokenWhoseSecretIsShownOnceAndWhichThenWorks() {
    Response r =
        issue(
            ADMIN,
            Map.of("name", "etl-ci", "roles", List.of("submitter"), "projects", List.of("etl")));
    JsonNode created = json(r);
    assertThat(r.getStatus()).as(created.toString()).isEqualTo(201);
    String secret = created.get("token").asText();
    String id = created.get("id").asText();
    assertThat(secret).startsWith("jpt_").hasSizeGreaterThan(40);
    assertThat(created.get("name").asText()).isEqualTo("etl-ci");
    assertThat(created.get("roles")).containsExactly(JSON.valueToTree("submitter"));
    assertThat(created.get("projects")).containsExactly(JSON.valueToTree("etl"));
    assertThat(created.get("created_at").asText()).isNotBlank();
    assertThat(created.get("expires_at").isNull()).isTrue();
    assertThat(r.getHeaderString("Location")).endsWith("/api/v1/tokens/" + id);

    // it is a submitter of project etl and nothing more
    assertThat(
            post(secret, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"etl\"}")
                .getStatus())
        .isEqualTo(201);
    problem(
        post(secret, "api/v1/jobs", "{\"name\":\"n\",\"type\":\"t\",\"project\":\"billing\"}"),
        403);

    // afterwards the metadata, never the secret nor its hash
    JsonNode one = json(get("api/v1/tokens/" + id));
    assertThat(one.get("id").asText()).isEqualTo(id);
    assertThat(one.get("last_used_at").asText()).isEqualTo(clock.instant().toString());
    assertThat(one.get("revoked_at").isNull()).isTrue();
    JsonNode list = json(get("api/v1/tokens"));
    assertThat(list.get("items")).hasSize(1);
    for (JsonNode shown : List.of(one, list)) {
      assertThat(shown.toString()).doesNotContain(secret).doesNotContain("sha256");
      assertThat(shown.findValue("token")).isNull();
    }
  }

  @Test
  void aRevokedTokenIsRefusedAtOnceWithTheSame401AsAnUnknownToken() {
    JsonNode created = issued(Map.of("name", "reader", "roles", List.of("viewer")));
    String secret = created.get("token").asText();
    String id = created.get("id").asText();
    assertThat(get(secret, "api/v1/jobs").getStatus()).isEqualTo(200); // now in the auth cache

    Response revoked = as(ADMIN, "api/v1/tokens/" + id).delete();
    assertThat(revoked.getStatus()).isEqualTo(204);

    JsonNode refused = problem(get(secret, "api/v1/jobs"), 401);
    JsonNode unknown = problem(get("jpt_" + "x".repeat(43), "api/v1/jobs"), 401);
    assertThat(refused.get("detail")).isEqualTo(unknown.get("detail"));
    assertThat(refused.toString()).doesNotContain("revoked", secret);
    assertThat(json(get("api/v1/tokens/" + id)).get("revoked_at").asText())
        .isEqualTo(clock.instant().toString());

    // revoking again is fine; an unknown id is 404, a malformed one 400
    assertThat(as(ADMIN, "api/v1/tokens/" + id).delete().getStatus()).isEqualTo(204);
    problem(as(ADMIN, "api/v1/tokens/" + UUID.randomUUID()).delete(), 404);
    problem(get("api/v1/tokens/" + UUID.randomUUID()), 404);
    assertThat(errorNames(problem(as(ADMIN, "api/v1/tokens/not-a-uuid").delete(), 400)))
        .containsExactly("id");
  }

  @Test
  void aTokenPastItsExpiryIsRefusedWithTheGeneric401() {
    JsonNode expiring =
        issued(Map.of("name", "short", "roles", List.of("viewer"), "expires_in_seconds", 60));
    assertThat(expiring.get("expires_at").asText())
        .isEqualTo(clock.instant().plusSeconds(60).toString());
    JsonNode later =
        issued(
            Map.of(
                "name",
                "later",
                "roles",
                List.of("viewer"),
                "expires_at",
                clock.instant().plusSeconds(3600).toString()));

    clock.advance(Duration.ofSeconds(61));

    JsonNode refused = problem(get(expiring.get("token").asText(), "api/v1/jobs"), 401);
    assertThat(refused.toString()).doesNotContain("expire");
    assertThat(get(later.get("token").asText(), "api/v1/jobs").getStatus()).isEqualTo(200);
  }

  @Test
  void onlyAnAdminManagesTokensAndAnIssuedTokenCannotMintAnother() {
    String submitter =
        issued(Map.of("name", "ci2", "roles", List.of("submitter", "viewer", "worker")))
            .get("token")
            .asText();
    String id = UUID.randomUUID().toString();
    for (String caller : List.of(SUBMITTER, VIEWER, WORKER, SCRAPER, submitter)) {
      // a body no admin could send either: the refusal comes before validation
      problem(issue(caller, Map.of("name", "Bad Name!", "roles", List.of("root"))), 403);
      problem(issue(caller, Map.of("name", "mine", "roles", List.of("admin"))), 403);
      problem(get(caller, "api/v1/tokens"), 403);
      problem(get(caller, "api/v1/tokens/" + id), 403);
      problem(as(caller, "api/v1/tokens/" + id).delete(), 403);
    }
    problem(get(null, "api/v1/tokens"), 401);
    assertThat(json(get("api/v1/tokens")).get("items")).hasSize(1);
  }

  @Test
  void badInputIsA400NamingTheField() {
    Map<String, Map<String, Object>> cases =
        Map.of(
            "roles", Map.of("name", "a", "roles", List.of("root")),
            "projects",
                Map.of("name", "a", "roles", List.of("viewer"), "projects", List.of("projA")),
            "name", Map.of("name", "n".repeat(64), "roles", List.of("viewer")),
            "expires_at",
                Map.of(
                    "name",
                    "a",
                    "roles",
                    List.of("viewer"),
                    "expires_at",
                    clock.instant().minusSeconds(1).toString()),
            "expires_in_seconds",
                Map.of("name", "a", "roles", List.of("viewer"), "expires_in_seconds", 0));
    cases.forEach(
        (field, fields) ->
            assertThat(errorNames(problem(issue(ADMIN, fields), 400))).as(field).contains(field));
    assertThat(errorNames(problem(issue(ADMIN, Map.of("name", "a")), 400))).contains("roles");
    problem(issue(ADMIN, Map.of("name", "a", "roles", List.of("viewer"), "sha256", "00")), 400);
    problem(post(ADMIN, "api/v1/tokens", "{\"name\":"), 400);
    assertThat(json(get("api/v1/tokens")).get("items")).isEmpty();
  }

  @Test
  void aTokenCannotTakeTheNameOfATokensFileEntry() {
    JsonNode p = problem(issue(ADMIN, Map.of("name", "etl", "roles", List.of("viewer"))), 409);
    assertThat(p.get("detail").asText()).contains("tokens file");
    assertThat(json(get("api/v1/tokens")).get("items")).isEmpty();
  }

  @Test
  void twoLiveTokensCannotShareANameUntilTheFirstIsRevoked() {
    String first =
        issued(Map.of("name", "deploy", "roles", List.of("submitter"))).get("id").asText();

    problem(issue(ADMIN, Map.of("name", "deploy", "roles", List.of("viewer"))), 409);

    as(ADMIN, "api/v1/tokens/" + first).delete();
    issued(Map.of("name", "deploy", "roles", List.of("viewer")));
  }
}
