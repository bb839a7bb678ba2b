package io.jobplane.adapters.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeps /openapi.json in step with the resource classes Jersey actually serves. */
class OpenApiDocumentTest extends ApiTestSupport {

  private static final List<Class<? extends Annotation>> METHODS =
      List.of(
          GET.class, POST.class, PUT.class, DELETE.class, PATCH.class, HEAD.class, OPTIONS.class);

  @Test
  void openapi_is_public_json() {
    Response r = get(null, "openapi.json");
    assertThat(r.getStatus()).isEqualTo(200);
    JsonNode doc = json(r);
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(doc.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
    assertThat(doc.at("/components/schemas/Problem/properties").has("errors")).isTrue();
    assertThat(doc.at("/components/schemas/Job/properties").has("run_id")).isTrue();
    assertThat(doc.at("/components/schemas/SubmitJobRequest/properties").has("max_attempts"))
        .isTrue();
    assertThat(doc.at("/components/schemas/SubmitJobRequest/properties").has("status")).isFalse();
    assertThat(doc.at("/paths/~1healthz/get/security").isArray()).isTrue();
    assertThat(doc.at("/paths/~1healthz/get/security")).isEmpty();
    assertThat(doc.at("/security/0").has("bearer")).isTrue();
    assertThat(doc.at("/components/schemas/ObjectNode/type").asText()).isEqualTo("object");
    assertThat(doc.at("/paths/~1api~1v1~1jobs/post/responses/422/$ref").asText())
        .isEqualTo("#/components/responses/Problem");
  }

  @Test
  void every_resource_method_is_documented_and_nothing_else() {
    JobplaneApi api = (JobplaneApi) configure();
    Set<String> served = new TreeSet<>();
    for (Class<?> type : api.getClasses()) {
      Path classPath = type.getAnnotation(Path.class);
      if (classPath == null) {
        continue;
      }
      for (Method m : type.getMethods()) {
        for (Class<? extends Annotation> http : METHODS) {
          if (m.isAnnotationPresent(http)) {
            Path methodPath = m.getAnnotation(Path.class);
            String path = join(classPath.value(), methodPath == null ? "" : methodPath.value());
            served.add(http.getSimpleName() + " " + path);
          }
        }
      }
    }
    JsonNode paths = json(get(null, "openapi.json")).get("paths");
    Set<String> documented = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (!method.equals("parameters")) {
                  documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    assertThat(served).hasSizeGreaterThan(10);
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void stop_and_restart_document_their_optional_bodies() {
    JsonNode doc = json(get(null, "openapi.json"));
    for (String action : List.of("stop", "restart")) {
      JsonNode body = doc.at("/paths/~1api~1v1~1jobs~1{id}~1" + action + "/post/requestBody");
      assertThat(body.path("required").asBoolean(false)).as(action).isFalse();
      assertThat(body.at("/content/application~1json/schema/$ref").asText())
          .as(action)
          .endsWith(action.equals("stop") ? "StopJobRequest" : "RestartJobRequest");
    }
  }

  @Test
  void every_operation_documents_the_problems_filters_answer_before_it_runs() {
    List<String> checked = new java.util.ArrayList<>();
    documentedOperations()
        .forEach(
            (op, operation) -> {
              JsonNode responses = operation.path("responses");
              // unknown query parameters (400) and failures (500) anywhere
              assertThat(responses.has("400")).as(op).isTrue();
              assertThat(responses.has("500")).as(op).isTrue();
              boolean isPublic = operation.has("security");
              assertThat(responses.has("401")).as(op).isEqualTo(!isPublic);
              assertThat(responses.has("403")).as(op).isEqualTo(!isPublic);
              boolean hasBody = operation.has("requestBody");
              assertThat(responses.has("413")).as(op).isEqualTo(hasBody);
              assertThat(responses.has("415")).as(op).isEqualTo(hasBody);
              checked.add(op);
            });
    assertThat(checked).contains("get /healthz", "post /api/v1/jobs/{id}/stop");
  }

  @Test
  void operations_on_a_path_with_a_parameter_document_404_right_after_their_successes() {
    List<String> checked = new java.util.ArrayList<>();
    documentedOperations()
        .forEach(
            (op, operation) -> {
              List<String> codes = new java.util.ArrayList<>();
              operation.path("responses").fieldNames().forEachRemaining(codes::add);
              if (!op.contains("{")) {
                assertThat(codes).as(op).doesNotContain("404");
                return;
              }
              int successes = (int) codes.stream().takeWhile(c -> c.startsWith("2")).count();
              assertThat(successes).as(op).isPositive();
              assertThat(codes.indexOf("404")).as(op).isEqualTo(successes);
              assertThat(operation.at("/responses/404/$ref").asText())
                  .as(op)
                  .isEqualTo("#/components/responses/Problem");
              checked.add(op);
            });
    assertThat(checked).contains("get /api/v1/jobs/{id}", "delete /api/v1/tokens/{id}");
  }

  @Test
  void idempotent_submits_document_the_replay_right_after_the_201() {
    JsonNode doc = json(get(null, "openapi.json"));
    for (String path : List.of("~1api~1v1~1jobs", "~1api~1v1~1job-graphs")) {
      JsonNode post = doc.at("/paths/" + path + "/post");
      assertThat(post.at("/parameters/0/name").asText()).as(path).isEqualTo("Idempotency-Key");
      assertThat(post.at("/parameters/0/in").asText()).as(path).isEqualTo("header");
      JsonNode responses = post.get("responses");
      List<String> codes = new java.util.ArrayList<>();
      responses.fieldNames().forEachRemaining(codes::add);
      assertThat(codes.subList(0, 2)).as(path).containsExactly("201", "200");
      JsonNode replay = responses.get("200");
      assertThat(replay.get("description").asText()).isEqualTo("idempotent replay");
      assertThat(replay.at("/headers/Idempotent-Replayed/schema/type").asText())
          .isEqualTo("string");
      assertThat(replay.get("content")).as(path).isEqualTo(responses.at("/201/content"));
    }
    // a submit without the header has no replay to document
    JsonNode schedules = doc.at("/paths/~1api~1v1~1schedules/post/responses");
    assertThat(schedules.has("201")).isTrue();
    assertThat(schedules.has("200")).isFalse();
  }

  @Test
  void documented_query_parameters_match_what_the_list_endpoint_accepts() {
    JsonNode list = json(get(null, "openapi.json")).at("/paths/~1api~1v1~1jobs/get/parameters");
    Set<String> names = new TreeSet<>();
    list.forEach(
        p -> {
          if (p.path("in").asText().equals("query")) {
            names.add(p.get("name").asText());
          }
        });
    // the live watch (Accept: text/event-stream) adds the Last-Event-ID header on this path
    assertThat(list.findValuesAsText("name")).contains("Last-Event-ID");
    assertThat(names)
        .containsExactlyInAnyOrder(
            "status",
            "type",
            "project",
            "queue",
            "runtime",
            "labels",
            "created_by",
            "created_after",
            "created_before",
            "search",
            "sort",
            "expand",
            "fields",
            "limit",
            "offset",
            "cursor");
  }

  private static String join(String a, String b) {
    String path = ("/" + a + "/" + b).replaceAll("/+", "/");
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
