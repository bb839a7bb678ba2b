package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** /api/v1/job-graphs over the real services: the wire model, validation and who sees what. */
class JobGraphsApiTest extends ApiTestSupport {

  private static final String GRAPHS = "api/v1/job-graphs";

  private static Map<String, Object> node(String name, String... dependsOn) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("name", name);
    if (dependsOn.length > 0) {
      node.put("depends_on", List.of(dependsOn));
    }
    node.put("job", new LinkedHashMap<>(Map.of("name", name + " step", "type", "etl")));
    return node;
  }

  @SafeVarargs
  private static Map<String, Object> graph(String project, Map<String, Object>... nodes) {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("project", project);
    graph.put("name", "nightly");
    graph.put("nodes", List.of(nodes));
    return graph;
  }

  private static Map<String, Object> diamond(String project) {
    return graph(
        project,
        node("extract"),
        node("left", "extract"),
        node("right", "extract"),
        node("load", "left", "right"));
  }

  private JsonNode created(String token, Map<String, Object> graph) {
    Response r = post(token, GRAPHS, body(graph));
    JsonNode json = json(r);
    assertThat(r.getStatus()).as(json.toString()).isEqualTo(201);
    return json;
  }

  private static JsonNode nodeOf(JsonNode graph, String name) {
    for (JsonNode n : graph.get("nodes")) {
      if (n.get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no node " + name + " in " + graph);
  }

  @Test
  void aDiamondIsSubmittedAtOnceAndItsJobsAreFoundByTheGraphLabel() {
    Response r = post(ETL, GRAPHS, body(diamond("etl")));
    JsonNode g = json(r);
    assertThat(r.getStatus()).as(g.toString()).isEqualTo(201);
    String id = g.get("id").asText();
    assertThat(r.getLocation().getPath()).endsWith("/api/v1/job-graphs/" + id);
    assertThat(g.get("project").asText()).isEqualTo("etl");
    assertThat(g.get("status").asText()).isEqualTo("RUNNING");
    assertThat(g.get("created_by").asText()).isEqualTo("etl");
    assertThat(g.get("nodes"))
        .extracting(n -> n.get("name").asText())
        .containsExactly("extract", "left", "right", "load");
    assertThat(nodeOf(g, "extract").get("status").asText()).isEqualTo("QUEUED");
    assertThat(nodeOf(g, "load").get("status").asText()).isEqualTo("PENDING");
    assertThat(nodeOf(g, "load").get("dependency_condition").asText()).isEqualTo("succeeded");

    String loadJob = nodeOf(g, "load").get("job_id").asText();
    JsonNode job = json(get(VIEWER, "api/v1/jobs/" + loadJob));
    assertThat(job.at("/labels/jobplane.io~1graph").asText()).isEqualTo(id);
    assertThat(job.at("/labels/jobplane.io~1graph-node").asText()).isEqualTo("load");
    assertThat(job.get("project").asText()).isEqualTo("etl");

    String selector = URLEncoder.encode("jobplane.io/graph=" + id, StandardCharsets.UTF_8);
    JsonNode listed = json(get(VIEWER, "api/v1/jobs?labels=" + selector));
    assertThat(listed.get("total").asLong()).isEqualTo(4);

    JsonNode read = json(get(VIEWER, GRAPHS + "/" + id));
    assertThat(read).isEqualTo(g);
    JsonNode page = json(get(VIEWER, GRAPHS + "?project=etl"));
    assertThat(page.at("/items/0/id").asText()).isEqualTo(id);
    assertThat(page.get("next_cursor").isNull()).isTrue();
  }

  @Test
  void aCycleIs400NamingTheDependencyThatClosesItAndTheCycle() {
    JsonNode p =
        problem(
            post(
                ETL,
                GRAPHS,
                body(graph("etl", node("a", "c"), node("b", "a"), node("c", "b"), node("d")))),
            400);
    assertThat(errorNames(p)).containsExactly("nodes[1].depends_on[0]");
    assertThat(p.get("detail").asText()).contains("a -> c -> b -> a");
    assertThat(jobs.all()).isEmpty();
  }

  @Test
  void everyBadNodeIsNamedByItsPathInTheBody() {
    Map<String, Object> badJob = node("bad");
    ((Map<String, Object>) badJob.get("job")).put("type", "Not A Type");
    Map<String, Object> suspended = node("suspended");
    ((Map<String, Object>) suspended.get("job")).put("suspend", true);
    JsonNode p =
        problem(
            post(
                ETL,
                GRAPHS,
                body(graph("etl", node("a", "missing"), badJob, suspended, node("a")))),
            400);
    assertThat(errorNames(p)).containsExactly("nodes[1].job.type", "nodes[2].job.suspend");
    JsonNode structure =
        problem(post(ETL, GRAPHS, body(graph("etl", node("a", "missing"), node("a")))), 400);
    assertThat(errorNames(structure)).containsExactly("nodes[1].name", "nodes[0].depends_on[0]");
    assertThat(errorNames(problem(post(ETL, GRAPHS, body(graph("etl"))), 400)))
        .containsExactly("nodes");
    List<Map<String, Object>> many = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      many.add(node("n" + i));
    }
    Map<String, Object> big = graph("etl");
    big.put("nodes", many);
    assertThat(errorNames(problem(post(ETL, GRAPHS, body(big)), 400))).containsExactly("nodes");
    Map<String, Object> unknownField = node("a");
    unknownField.put("when", "now");
    problem(post(ETL, GRAPHS, body(graph("etl", unknownField))), 400);
    assertThat(jobs.all()).isEmpty();
  }

  @Test
  void aViewerReadsButMayNotSubmitAndAnotherProjectsGraphIsNotFound() {
    String mine = created(ETL, diamond("etl")).get("id").asText();
    String theirs = created(ADMIN, diamond("ml")).get("id").asText();
    int stored = jobs.all().size();

    problem(post(VIEWER, GRAPHS, body(diamond("etl"))), 403);
    problem(post(ETL, GRAPHS, body(diamond("ml"))), 403);
    // the project is checked before the body: a caller who may not submit learns nothing of it
    problem(post(ETL, GRAPHS, "{\"project\":\"ml\",\"nodes\":[{\"name\":\"Bad!\"}]}"), 403);
    assertThat(jobs.all()).hasSize(stored);

    assertThat(get(VIEWER, GRAPHS + "/" + mine).getStatus()).isEqualTo(200);
    JsonNode notFound = problem(get(ETL, GRAPHS + "/" + theirs), 404);
    JsonNode missing = problem(get(ETL, GRAPHS + "/7d444840-9dc0-11d1-b245-5ffdce74fad2"), 404);
    assertThat(notFound.get("detail")).isEqualTo(missing.get("detail"));
    assertThat(json(get(ETL, GRAPHS + "?project=ml")).get("items")).isEmpty();
    assertThat(json(get(ETL, GRAPHS)).get("items"))
        .extracting(i -> i.get("id").asText())
        .containsExactly(mine);
    problem(get(ETL, GRAPHS + "/not-a-uuid"), 400);
    problem(get(ETL, GRAPHS + "?limit=0"), 400);
    problem(get(ETL, GRAPHS + "?cursor=nonsense"), 400);
    problem(get(ADMIN, GRAPHS + "?project=ml%00"), 400);
    String farFuture =
        java.util.Base64.getUrlEncoder()
            .encodeToString(
                "g1|+1000000-01-01T00:00:00Z|7d444840-9dc0-11d1-b245-5ffdce74fad2"
                    .getBytes(StandardCharsets.UTF_8));
    problem(get(ADMIN, GRAPHS + "?cursor=" + farFuture), 400);
  }

  @Test
  void aNodeJobAsGeneratedClientsSendItIsAccepted() {
    // the SDK sends what the schema gives a default, and empty lists for lists it was not given
    Map<String, Object> node = node("only");
    Map<String, Object> job = (Map<String, Object>) node.get("job");
    job.put("suspend", false);
    job.put("depends_on", List.of());
    job.put("project", "etl");
    assertThat(created(ETL, graph("etl", node)).at("/nodes/0/status").asText()).isEqualTo("QUEUED");
    job.put("project", "default");
    assertThat(errorNames(problem(post(ETL, GRAPHS, body(graph("etl", node))), 400)))
        .containsExactly("nodes[0].job.project");
  }

  @Test
  void aRetryWithTheSameIdempotencyKeyReplaysTheGraph() {
    String body = body(diamond("etl"));
    Response first =
        as(ETL, GRAPHS)
            .header("Idempotency-Key", "nightly-2026-11-29")
            .post(Entity.entity(body, MediaType.APPLICATION_JSON));
    Response again =
        as(ETL, GRAPHS)
            .header("Idempotency-Key", "nightly-2026-11-29")
            .post(Entity.entity(body, MediaType.APPLICATION_JSON));
    assertThat(first.getStatus()).isEqualTo(201);
    assertThat(again.getStatus()).isEqualTo(200);
    assertThat(again.getHeaderString("Idempotent-Replayed")).isEqualTo("true");
    assertThat(json(again).get("id")).isEqualTo(json(first).get("id"));
    assertThat(jobs.all()).hasSize(4);
  }
}
