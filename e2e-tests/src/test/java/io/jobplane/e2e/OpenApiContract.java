package io.jobplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The served OpenAPI document as a contract: which operations exist, and whether an answer keeps
 * the document's promises (a documented status, a documented media type, a body that validates
 * against the documented schema in the OpenAPI 3.0 dialect, problems for every 4xx).
 */
final class OpenApiContract {

  private static final String IRI = "https://jobplane.test/openapi.json";
  static final String PROBLEM = "application/problem+json";

  /** One operation of the document. */
  record Operation(String method, String path, JsonNode node) {
    List<JsonNode> parameters(String in) {
      List<JsonNode> found = new ArrayList<>();
      node.path("parameters")
          .forEach(
              p -> {
                if (p.path("in").asText().equals(in)) {
                  found.add(p);
                }
              });
      return found;
    }

    boolean isPublic() {
      return node.has("security") && node.get("security").isEmpty();
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private final JsonNode document;
  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  private OpenApiContract(String json) throws IOException {
    this.document = Api.JSON.readTree(json);
    this.registry =
        SchemaRegistry.withDialect(
            Dialects.getOpenApi30(),
            builder ->
                builder
                    .schemas(Map.of(IRI, json))
                    .schemaRegistryConfig(
                        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  static OpenApiContract of(Api api) throws IOException, InterruptedException {
    Api.Response served = api.get("/openapi.json");
    if (served.status() != 200) {
      throw new IllegalStateException("/openapi.json answered " + served.status());
    }
    return new OpenApiContract(served.raw());
  }

  List<Operation> operations() {
    List<Operation> ops = new ArrayList<>();
    document
        .get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        m -> {
                          if (m.getValue().has("responses")) {
                            ops.add(
                                new Operation(
                                    m.getKey().toUpperCase(Locale.ROOT),
                                    path.getKey(),
                                    m.getValue()));
                          }
                        }));
    return ops;
  }

  /** The schema node a local {@code $ref} points at (or the node itself). */
  JsonNode resolve(JsonNode node) {
    JsonNode current = node;
    for (int hops = 0; current != null && current.has("$ref") && hops < 20; hops++) {
      current = document.at(current.get("$ref").asText().substring(1));
    }
    return current;
  }

  /** What is wrong with an answer to {@code op}; empty when it keeps the contract. */
  List<String> violations(Operation op, Api.Response r) {
    List<String> wrong = new ArrayList<>();
    if (r.status() >= 500) {
      wrong.add("server error " + r.status() + ": " + r.raw());
    }
    String mediaType = r.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (r.status() >= 400 && !mediaType.equals(PROBLEM)) {
      wrong.add(r.status() + " is not " + PROBLEM + " but '" + r.contentType() + "'");
    }
    if (r.status() >= 400 && r.body() != null && r.body().path("status").asInt() != r.status()) {
      wrong.add("problem status " + r.body().path("status") + " differs from HTTP " + r.status());
    }
    String statusPointer =
        "/paths/"
            + escape(op.path())
            + "/"
            + op.method().toLowerCase(Locale.ROOT)
            + "/responses/"
            + r.status();
    JsonNode response = document.at(statusPointer);
    if (response.isMissingNode()) {
      wrong.add("status " + r.status() + " is not documented");
      return wrong;
    }
    String responsePointer = statusPointer;
    if (response.has("$ref")) {
      responsePointer = response.get("$ref").asText().substring(1);
      response = document.at(responsePointer);
    }
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      if (!r.raw().isEmpty()) {
        wrong.add("status " + r.status() + " documents no body but one came: " + r.raw());
      }
      return wrong;
    }
    String documented = null;
    for (var it = content.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (key.split(";")[0].trim().equalsIgnoreCase(mediaType)) {
        documented = key;
      }
    }
    if (documented == null) {
      wrong.add("media type '" + mediaType + "' is not documented for " + r.status());
      return wrong;
    }
    if (mediaType.endsWith("json")) {
      if (r.body() == null) {
        wrong.add("the body is not JSON: " + r.raw());
        return wrong;
      }
      String schemaPointer = responsePointer + "/content/" + escape(documented) + "/schema";
      List<Error> errors = schema(schemaPointer).validate(r.body());
      errors.forEach(e -> wrong.add("schema: " + e));
    }
    return wrong;
  }

  private Schema schema(String pointer) {
    return schemas.computeIfAbsent(
        pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + p)));
  }

  static String escape(String pointerToken) {
    return pointerToken.replace("~", "~0").replace("/", "~1");
  }
}
