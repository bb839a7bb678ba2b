package io.jobplane.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Kubernetes API server checks when a {@code jobplane.io} resource is created, without one:
 * defaults from the CRD's schema, then the {@code openAPIV3Schema} (with unknown fields refused, as
 * {@code kubectl apply}'s strict field validation does), then every {@code
 * x-kubernetes-validations} CEL rule evaluated with {@code dev.cel}. Transition rules (those
 * reading {@code oldSelf}) are left out, because the API server evaluates them on updates only.
 *
 * <p>The CRD read is the chart's copy, which {@code CommittedCrdTest} in the operator module keeps
 * byte-for-byte equal to the one the build generates from the model classes.
 */
final class CrdValidator {

  static final Path CRD = HelmChart.DIRECTORY.resolve("crds/jobs.jobplane.io-v1.yml");
  static final Path SCHEDULES_CRD =
      HelmChart.DIRECTORY.resolve("crds/jobschedules.jobplane.io-v1.yml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String PRESERVE = "x-kubernetes-preserve-unknown-fields";
  private static final String RULES = "x-kubernetes-validations";

  private final JsonNode crdSchema;
  private final String apiVersion;
  private final String kind;
  private final Schema schema;
  private final Cel cel =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();

  private CrdValidator(JsonNode crd) {
    JsonNode version = crd.at("/spec/versions/0");
    this.crdSchema = version.at("/schema/openAPIV3Schema");
    this.apiVersion = crd.at("/spec/group").asText() + "/" + version.path("name").asText();
    this.kind = crd.at("/spec/names/kind").asText();
    this.schema =
        SchemaRegistry.withDialect(Dialects.getOpenApi30())
            .getSchema(strict(crdSchema.deepCopy(), true));
  }

  /** The Job CRD's validator. */
  static CrdValidator load() {
    return load(CRD);
  }

  static CrdValidator load(Path crd) {
    try {
      return new CrdValidator(YAML.readTree(Files.readString(crd)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String apiVersion() {
    return apiVersion;
  }

  String kind() {
    return kind;
  }

  /** Why the API server would refuse {@code resource} on create; empty when it would accept it. */
  List<String> problems(JsonNode resource) {
    ObjectNode object = resource.deepCopy();
    applyDefaults(crdSchema, object);
    List<String> problems = new ArrayList<>();
    schema.validate(object).forEach(error -> problems.add("schema: " + error));
    if (problems.isEmpty()) { // the API server evaluates rules on a schema-valid object only
      evaluateRules(crdSchema, object, "", problems);
    }
    return problems;
  }

  /**
   * The CRD's schema as a JSON Schema that refuses unknown fields (except where the CRD preserves
   * them) and knows the fields every object has, which the CRD leaves to the API server.
   */
  private JsonNode strict(JsonNode node, boolean root) {
    if (node instanceof ObjectNode object) {
      object.remove(RULES);
      if (root) {
        ObjectNode properties = object.withObjectProperty("properties");
        properties.putObject("apiVersion").put("type", "string").putArray("enum").add(apiVersion);
        properties.putObject("kind").put("type", "string").putArray("enum").add(kind);
        properties.putObject("metadata").put("type", "object").putArray("required").add("name");
        object.withArrayProperty("required").add("apiVersion").add("kind").add("metadata");
      }
      boolean preserve = object.path(PRESERVE).asBoolean(false);
      if (object.has("properties") && !object.has("additionalProperties") && !preserve) {
        object.put("additionalProperties", false);
      }
      object.properties().forEach(entry -> strict(entry.getValue(), false));
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> strict(item, false));
    }
    return node;
  }

  /** The API server fills in schema defaults before it validates, at every depth. */
  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Map.Entry<String, JsonNode> property : properties.properties()) {
        if (!object.has(property.getKey()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
        if (object.has(property.getKey())) {
          applyDefaults(property.getValue(), object.get(property.getKey()));
        }
      }
      if (schema.path("additionalProperties").isObject()) {
        object.forEach(v -> applyDefaults(schema.get("additionalProperties"), v));
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, String path, List<String> problems) {
    for (JsonNode rule : schema.path(RULES)) {
      String expression = rule.path("rule").asText();
      if (expression.contains("oldSelf")) {
        continue; // a transition rule: updates only
      }
      if (!holds(expression, value, path, problems)) {
        problems.add(
            "rule at "
                + (path.isEmpty() ? "<root>" : path)
                + ": "
                + rule.path("message").asText(expression)
                + " ("
                + expression
                + ")");
      }
    }
    if (value.isObject()) {
      schema
          .path("properties")
          .properties()
          .forEach(
              p -> {
                if (value.has(p.getKey())) {
                  evaluateRules(
                      p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), problems);
                }
              });
      if (schema.path("additionalProperties").isObject()) {
        value
            .properties()
            .forEach(
                e ->
                    evaluateRules(
                        schema.get("additionalProperties"),
                        e.getValue(),
                        path + "[" + e.getKey() + "]",
                        problems));
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
  }

  private boolean holds(String expression, JsonNode self, String path, List<String> problems) {
    try {
      CelAbstractSyntaxTree ast = cel.compile(expression).getAst();
      Object result = cel.createProgram(ast).eval(Map.of("self", celValue(self)));
      return Boolean.TRUE.equals(result);
    } catch (CelValidationException | CelEvaluationException e) {
      // a rule this evaluator cannot run must not pass unnoticed
      problems.add("rule at " + path + " could not be evaluated: " + e.getMessage());
      return true;
    }
  }

  /** JSON as CEL sees it: int, double, string, bool, list and map. */
  private static Object celValue(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(celValue(item)));
      return list;
    }
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), celValue(e.getValue())));
      return map;
    }
    return com.google.protobuf.NullValue.NULL_VALUE;
  }
}
