package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secrets routes and secret references in job environments, over the real services. */
class SecretsApiTest extends ApiTestSupport {

  private static final String VALUE = "p4ssw0rd-never-shown";
  private static final String DB = "api/v1/projects/default/secrets/db";

  private Response put(String token, String path, String json) {
    return as(token, path).put(Entity.entity(json, MediaType.APPLICATION_JSON));
  }

  private Response putDb(String token) {
    return put(token, DB, "{\"data\":{\"PASSWORD\":\"" + VALUE + "\",\"USER\":\"app\"}}");
  }

  private static String withEnv(String env) {
    return "{\"name\":\"n\",\"type\":\"shell\",\"command\":[\"sh\",\"-c\",\"run\"],\"env\":"
        + env
        + "}";
  }

  private static final String REFERENCING =
      withEnv("{\"MODE\":\"fast\",\"DB_PASSWORD\":{\"secret\":\"db\",\"key\":\"PASSWORD\"}}");

  @Test
  void aSubmitterCreatesReplacesListsAndDeletesASecretWithoutEverSeeingAValue() {
    Response created = putDb(SUBMITTER);
    assertThat(created.getStatus()).isEqualTo(201);
    assertThat(created.getLocation().getPath()).endsWith("/" + DB);
    JsonNode secret = json(created);
    assertThat(secret.get("keys").toString()).isEqualTo("[\"PASSWORD\",\"USER\"]");
    assertThat(secret.get("updated_by").asText()).isEqualTo("ci");
    assertThat(secret.toString()).doesNotContain(VALUE);

    Response replaced = put(SUBMITTER, DB, "{\"data\":{\"PASSWORD\":\"" + VALUE + "\"}}");
    assertThat(replaced.getStatus()).isEqualTo(200);
    assertThat(json(replaced).get("keys").toString()).isEqualTo("[\"PASSWORD\"]");

    JsonNode listed = json(get(VIEWER, "api/v1/projects/default/secrets"));
    assertThat(listed.at("/data/0/name").asText()).isEqualTo("db");
    assertThat(listed.toString()).doesNotContain(VALUE);
    assertThat(json(get(VIEWER, DB)).get("keys").toString()).isEqualTo("[\"PASSWORD\"]");

    assertThat(as(SUBMITTER, DB).delete().getStatus()).isEqualTo(204);
    problem(get(SUBMITTER, DB), 404);
    problem(as(SUBMITTER, DB).delete(), 404);
  }

  @Test
  void onlyCallersWhoMaySubmitInTheProjectWrite() {
    problem(putDb(VIEWER), 403);
    problem(putDb(WORKER), 403);
    assertThat(putDb(ADMIN).getStatus()).isEqualTo(201);
    problem(as(VIEWER, DB).delete(), 403);
    problem(get(WORKER, DB), 403);
    problem(put(null, DB, "{\"data\":{\"K\":\"v\"}}"), 401);
  }

  @Test
  void aProjectTheCallerCannotSeeIsMissingWhetherOrNotItHoldsTheSecret() {
    assertThat(putDb(SUBMITTER).getStatus()).isEqualTo(201);
    // token etl sees only project etl
    JsonNode existing = problem(get(ETL, DB), 404);
    JsonNode missing = problem(get(ETL, "api/v1/projects/default/secrets/nope"), 404);
    assertThat(existing.get("detail")).isEqualTo(missing.get("detail"));
    problem(get(ETL, "api/v1/projects/default/secrets"), 404);
    problem(put(ETL, DB, "{\"data\":{\"K\":\"v\"}}"), 404);
    problem(as(ETL, DB).delete(), 404);
    assertThat(json(get(SUBMITTER, DB)).get("keys").toString()).contains("PASSWORD");
    assertThat(put(ETL, "api/v1/projects/etl/secrets/db", "{\"data\":{\"K\":\"v\"}}").getStatus())
        .isEqualTo(201);
  }

  @Test
  void namesKeysAndSizesAreValidatedAndAMalformedBodyIsNotEchoed() {
    assertThat(
            errorNames(
                problem(
                    put(
                        SUBMITTER,
                        "api/v1/projects/default/secrets/Bad_Name",
                        "{\"data\":{\"K\":\"v\"}}"),
                    400)))
        .containsExactly("name");
    assertThat(
            errorNames(
                problem(put(SUBMITTER, DB, "{\"data\":{\"bad-key\":\"v\",\"1X\":\"v\"}}"), 400)))
        .containsExactlyInAnyOrder("data.bad-key", "data.1X");
    assertThat(
            errorNames(
                problem(
                    put(SUBMITTER, DB, "{\"data\":{\"BIG\":\"" + "x".repeat(64 * 1024) + "\"}}"),
                    400)))
        .containsExactly("data");
    problem(put(SUBMITTER, DB, "{\"data\":{}}"), 400);
    JsonNode malformed = problem(put(SUBMITTER, DB, "{\"data\":{\"K\": " + VALUE + "}}"), 400);
    assertThat(malformed.toString()).doesNotContain(VALUE).doesNotContain("p4ss");
    JsonNode unknown =
        problem(put(SUBMITTER, DB, "{\"data\":{\"K\":\"v\"},\"x\":\"" + VALUE + "\"}"), 400);
    assertThat(unknown.toString()).doesNotContain(VALUE);
  }

  @Test
  void aJobShowsItsReferenceButNoneOfTheValueAndOnlyTheClaimCarriesIt() {
    putDb(SUBMITTER);
    JsonNode job = submitted(REFERENCING);
    String id = job.get("id").asText();
    assertThat(job.at("/env/DB_PASSWORD").toString())
        .isEqualTo("{\"secret\":\"db\",\"key\":\"PASSWORD\"}");
    assertThat(job.at("/env/MODE").asText()).isEqualTo("fast");
    assertThat(json(get(VIEWER, "api/v1/jobs/" + id)).at("/env/MODE").asText()).isEqualTo("***");
    assertThat(json(get(VIEWER, "api/v1/jobs/" + id)).at("/env/DB_PASSWORD/secret").asText())
        .isEqualTo("db");

    JsonNode claim = json(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w1\",\"max_tasks\":1}"));

    assertThat(claim.at("/leases/0/job/env/DB_PASSWORD").asText()).isEqualTo(VALUE);
    assertThat(claim.at("/leases/0/job/env/MODE").asText()).isEqualTo("fast");
    for (String path :
        List.of(
            "api/v1/jobs/" + id,
            "api/v1/jobs/" + id + "?verbose=true",
            "api/v1/jobs",
            "api/v1/jobs/" + id + "/events",
            "api/v1/jobs/" + id + "/tasks")) {
      assertThat(get(ADMIN, path).readEntity(String.class)).as(path).doesNotContain(VALUE);
    }
  }

  @Test
  void aReferenceToAMissingSecretOrKeyIsA400NamingTheVariable() {
    putDb(SUBMITTER);
    JsonNode p =
        problem(
            submit(withEnv("{\"DB_PASSWORD\":{\"secret\":\"nope\",\"key\":\"PASSWORD\"}}")), 400);
    assertThat(errorNames(p)).containsExactly("env.DB_PASSWORD");
    JsonNode noKey =
        problem(submit(withEnv("{\"DB_PASSWORD\":{\"secret\":\"db\",\"key\":\"TOKEN\"}}")), 400);
    assertThat(noKey.toString()).contains("no key 'TOKEN'");
    // the secret of another project does not count
    put(ETL, "api/v1/projects/etl/secrets/only-etl", "{\"data\":{\"K\":\"v\"}}");
    problem(submit(withEnv("{\"X\":{\"secret\":\"only-etl\",\"key\":\"K\"}}")), 400);
    assertThat(
            errorNames(
                problem(
                    submit(
                        withEnv(
                            "{\"A\":{\"secret\":\"db\"},\"B\":42,"
                                + "\"C\":{\"secret\":\"db\",\"key\":\"K\",\"x\":1},"
                                + "\"D\":{\"secret\":\"Bad\",\"key\":\"K\"}}")),
                    400)))
        .containsExactlyInAnyOrder("env.A", "env.B", "env.C", "env.D.secret");
  }

  @Test
  void aSecretDeletedAfterSubmitFailsTheJobAtClaimWithoutHandingOutALease() {
    putDb(SUBMITTER);
    String id = submitted(REFERENCING).get("id").asText();
    as(SUBMITTER, DB).delete();

    JsonNode claim = json(post(WORKER, "api/v1/leases", "{\"worker_id\":\"w1\",\"max_tasks\":1}"));

    assertThat(claim.get("leases")).isEmpty();
    JsonNode job = json(get(ADMIN, "api/v1/jobs/" + id));
    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.at("/error/reason").asText()).isEqualTo("SECRET_UNAVAILABLE");
    assertThat(job.at("/error/message").asText()).contains("DB_PASSWORD").contains("'db'");
  }

  @Test
  void aKubernetesJobTakesSecretReferencesButNoPlainEnv() {
    String template =
        "\"kubernetes\":{\"namespace\":\"ml\",\"pod_template\":{\"spec\":{\"containers\":"
            + "[{\"name\":\"main\",\"image\":\"img\"}]}}}";
    JsonNode job =
        submitted(
            "{\"name\":\"t\",\"type\":\"training\",\"runtime\":\"kubernetes\","
                + template
                + ",\"env\":{\"HF_TOKEN\":{\"secret\":\"hf\",\"key\":\"token\"}}}");
    assertThat(job.at("/env/HF_TOKEN/secret").asText())
        .as("a Secret of the namespace, which our store need not hold")
        .isEqualTo("hf");
    JsonNode plain =
        problem(
            submit(
                "{\"name\":\"t\",\"type\":\"training\",\"runtime\":\"kubernetes\","
                    + template
                    + ",\"env\":{\"MODE\":\"x\"}}"),
            400);
    assertThat(errorNames(plain)).containsExactly("env.MODE");
  }

  @Test
  void theSecretsRoutesAreDocumented() {
    JsonNode doc = json(get(null, "openapi.json"));
    JsonNode path = doc.at("/paths/~1api~1v1~1projects~1{project}~1secrets~1{name}");
    assertThat(path.has("put")).isTrue();
    assertThat(path.has("get")).isTrue();
    assertThat(path.has("delete")).isTrue();
    assertThat(doc.at("/paths/~1api~1v1~1projects~1{project}~1secrets").has("get")).isTrue();
    assertThat(doc.at("/components/schemas/Secret/properties").has("keys")).isTrue();
    JsonNode envValue = doc.at("/components/schemas/EnvValue");
    assertThat(envValue.get("oneOf").size()).as(envValue.toString()).isEqualTo(2);
    assertThat(envValue.has("type")).as("a string must match it too: " + envValue).isFalse();
    for (String schema : List.of("Job", "SubmitJobRequest")) {
      assertThat(
              doc.at("/components/schemas/" + schema + "/properties/env/additionalProperties/$ref")
                  .asText())
          .as(schema)
          .endsWith("/EnvValue");
    }
  }
}
