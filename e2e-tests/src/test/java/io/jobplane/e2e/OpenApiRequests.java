package io.jobplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of HTTP requests driven by the served OpenAPI document: every operation, its
 * path, query and header parameters and its request body schema. Most values follow the schema (so
 * requests get past parsing and reach the use cases); the rest are hostile: wrong types, missing
 * required fields, unknown fields, out-of-range numbers, injection strings, control characters,
 * malformed and deeply nested JSON, other callers' tokens.
 */
final class OpenApiRequests {

  /** A generated request; {@code path} may hold {@code {pool:n}} for a job id chosen when sent. */
  record FuzzRequest(
      OpenApiContract.Operation operation,
      String path,
      Map<String, String> headers,
      String body,
      String caller) {

    @Override
    public String toString() {
      return operation.method()
          + " "
          + path
          + " as "
          + caller
          + " "
          + headers
          + (body == null ? "" : " body=" + abbreviate(body));
    }
  }

  static final String POOL = "{pool:";
  private static final int MAX_DEPTH = 4;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Strings no field should choke on: injections, selectors, unicode, controls, sizes. */
  static final List<String> HOSTILE_STRINGS =
      List.of(
          "' OR '1'='1",
          "1; DROP TABLE jobs; --",
          "\"; SELECT pg_sleep(5); --",
          "x') UNION SELECT token FROM tokens --",
          "%' AND 1=1 AND '%'='",
          "env=prod,tier!=web,!spot",
          "env in (a,b)",
          "a=b=c",
          "=,!,,=",
          "!",
          "名前-ジョブ",
          "emoji-\uD83D\uDE80",
          "rtl-\u202Eevil",
          "nul-\u0000-byte",
          "bell-\u0007-tab-\t-newline-\n",
          "lone-surrogate-\uD800",
          "../../etc/passwd",
          "%00%2e%2e%2f",
          "${jndi:ldap://127.0.0.1/x}",
          "<script>alert(1)</script>",
          " ",
          "",
          "9".repeat(40),
          "-1",
          "x".repeat(300),
          "y".repeat(70_000));

  private final OpenApiContract contract;

  OpenApiRequests(OpenApiContract contract) {
    this.contract = contract;
  }

  /** Every operation of the document, each with its parameters and body, as callers. */
  Arbitrary<FuzzRequest> requests() {
    List<OpenApiContract.Operation> ops =
        contract.operations().stream()
            // the live streams never end by themselves; their JSON twins are fuzzed
            .filter(op -> !op.path().equals("/metrics") || op.method().equals("GET"))
            .toList();
    return Arbitraries.of(ops).flatMap(this::request);
  }

  private Arbitrary<FuzzRequest> request(OpenApiContract.Operation op) {
    Arbitrary<String> path = path(op);
    Arbitrary<String> query = query(op);
    Arbitrary<Map<String, String>> headers = headers(op);
    Arbitrary<String> body = body(op);
    Arbitrary<String> caller =
        Arbitraries.frequency(
            Tuple.of(14, "admin"),
            Tuple.of(1, "viewer"),
            Tuple.of(1, "worker"),
            Tuple.of(1, "outsider"),
            Tuple.of(1, "anonymous"),
            Tuple.of(1, "forged"));
    return Combinators.combine(path, query, headers, body, caller)
        .as(
            (p, q, h, b, c) -> {
              if (b == null) {
                h.remove("Content-Type");
              }
              return new FuzzRequest(op, p + q, h, b, c);
            });
  }

  private Arbitrary<String> path(OpenApiContract.Operation op) {
    List<JsonNode> params = op.parameters("path");
    if (params.isEmpty()) {
      return Arbitraries.just(op.path());
    }
    List<Arbitrary<String[]>> values = new ArrayList<>();
    for (JsonNode p : params) {
      String name = p.get("name").asText();
      values.add(
          pathValue(name, contract.resolve(p.get("schema"))).map(v -> new String[] {name, v}));
    }
    return Combinators.combine(values)
        .as(
            pairs -> {
              String path = op.path();
              for (String[] pair : pairs) {
                path = path.replace("{" + pair[0] + "}", pair[1]);
              }
              return path;
            });
  }

  private Arbitrary<String> pathValue(String name, JsonNode schema) {
    if (name.equals("id") || name.equals("job_id")) {
      return Arbitraries.frequencyOf(
          Tuple.of(10, Arbitraries.integers().between(0, 10_000).map(i -> POOL + i + "}")),
          Tuple.of(1, Arbitraries.create(() -> UUID.randomUUID().toString())),
          Tuple.of(1, hostileString().filter(v -> !v.isEmpty()).map(OpenApiRequests::encodePath)));
    }
    if (name.equals("task_index")) {
      return Arbitraries.frequencyOf(
          Tuple.of(8, Arbitraries.integers().between(-1, 3).map(String::valueOf)),
          Tuple.of(1, hostileString().filter(v -> !v.isEmpty()).map(OpenApiRequests::encodePath)));
    }
    return Arbitraries.oneOf(
            Arbitraries.of("chk-1", "source_1", "sink_1"),
            scalar(schema).map(n -> encodePath(n.asText())))
        .filter(v -> !v.isEmpty());
  }

  private Arbitrary<String> query(OpenApiContract.Operation op) {
    List<Arbitrary<String>> parts = new ArrayList<>();
    for (JsonNode p : op.parameters("query")) {
      String name = p.get("name").asText();
      parts.add(
          Arbitraries.frequencyOf(
                  Tuple.of(10, scalar(contract.resolve(p.get("schema"))).map(JsonNode::asText)),
                  Tuple.of(1, hostileString()))
              .map(v -> name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8))
              .injectNull(0.6));
    }
    parts.add(Arbitraries.of("colour=blue", "limit=1&limit=2", "a%5B%5D=1").injectNull(0.95));
    return Combinators.combine(parts)
        .as(
            list -> {
              List<String> present = list.stream().filter(s -> s != null).toList();
              return present.isEmpty() ? "" : "?" + String.join("&", present);
            });
  }

  private Arbitrary<Map<String, String>> headers(OpenApiContract.Operation op) {
    List<Arbitrary<String[]>> values = new ArrayList<>();
    for (JsonNode p : op.parameters("header")) {
      String name = p.get("name").asText();
      values.add(
          Arbitraries.oneOf(
                  scalar(contract.resolve(p.get("schema"))).map(JsonNode::asText),
                  Arbitraries.strings().ascii().ofMaxLength(300))
              .filter(OpenApiRequests::isHeaderValue)
              .map(v -> new String[] {name, v})
              .injectNull(0.6));
    }
    boolean hasBody = op.node().has("requestBody");
    values.add(
        Arbitraries.frequency(
                Tuple.of(hasBody ? 20 : 1, "application/json"),
                Tuple.of(1, "text/plain"),
                Tuple.of(1, "application/xml"))
            .map(v -> new String[] {"Content-Type", v}));
    return Combinators.combine(values)
        .as(
            pairs -> {
              Map<String, String> headers = new LinkedHashMap<>();
              // never text/event-stream: a live watch answers with a stream that does not end
              headers.put("Accept", "application/json, application/problem+json, text/plain;q=0.5");
              pairs.stream().filter(pair -> pair != null).forEach(p -> headers.put(p[0], p[1]));
              return headers;
            });
  }

  private Arbitrary<String> body(OpenApiContract.Operation op) {
    JsonNode content = op.node().path("requestBody").path("content").path("application/json");
    Arbitrary<String> malformed =
        Arbitraries.of(
            "{",
            "[1,2",
            "nul",
            "{\"name\":}",
            "{\"a\":1,\"a\":2}",
            "\uFEFF{}",
            "[]",
            "42",
            "\"text\"",
            "null",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"x\":".repeat(3_000) + "1" + "}".repeat(3_000));
    if (content.isMissingNode()) {
      return Arbitraries.oneOf(Arbitraries.just((String) null), malformed).injectNull(0.9);
    }
    JsonNode schema = contract.resolve(content.get("schema"));
    return Arbitraries.frequencyOf(
        Tuple.of(16, value(schema, 0).map(JsonNode::toString)), Tuple.of(1, malformed));
  }

  /** A value for a schema: usually valid, sometimes of the wrong type or absurd. */
  private Arbitrary<JsonNode> value(JsonNode schema, int depth) {
    return Arbitraries.frequencyOf(Tuple.of(30, valid(schema, depth)), Tuple.of(1, hostile()));
  }

  private Arbitrary<JsonNode> valid(JsonNode rawSchema, int depth) {
    JsonNode schema = contract.resolve(rawSchema);
    String type = schema.path("type").asText("");
    if (depth > MAX_DEPTH) {
      return scalar(schema);
    }
    if (type.equals("object") || schema.has("properties")) {
      return object(schema, depth);
    }
    if (type.equals("array")) {
      JsonNode items = schema.path("items");
      return value(items, depth + 1)
          .list()
          .ofMaxSize(4)
          .map(
              list -> {
                ArrayNode array = NODES.arrayNode();
                list.forEach(array::add);
                return array;
              });
    }
    return scalar(schema);
  }

  private Arbitrary<JsonNode> object(JsonNode schema, int depth) {
    List<Arbitrary<Map.Entry<String, JsonNode>>> fields = new ArrayList<>();
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p ->
                fields.add(
                    value(p.getValue(), depth + 1)
                        .map(v -> Map.entry(p.getKey(), v))
                        .injectNull(required.contains(p.getKey()) ? 0.03 : 0.5)));
    JsonNode additional = schema.path("additionalProperties");
    if (additional.isObject() || additional.asBoolean(false)) {
      JsonNode valueSchema = additional.isObject() ? additional : NODES.objectNode();
      fields.add(
          Combinators.combine(
                  Arbitraries.frequencyOf(Tuple.of(6, identifier()), Tuple.of(1, hostileString())),
                  value(valueSchema, depth + 1)
                      .list()
                      .ofMaxSize(3)
                      .map(l -> (JsonNode) NODES.arrayNode().addAll(l)))
              .as((k, v) -> Map.entry("\u0000map:" + k, v)));
    }
    // a field the schema does not have, as a client assigning server-owned state would send
    fields.add(
        Arbitraries.of("status", "attempt", "created_by", "epoch", "version", "extra")
            .map(k -> Map.entry(k, (JsonNode) new TextNode("SUCCEEDED")))
            .injectNull(0.97));
    return Combinators.combine(fields)
        .as(
            entries -> {
              ObjectNode object = NODES.objectNode();
              for (Map.Entry<String, JsonNode> e : entries) {
                if (e == null) {
                  continue;
                }
                if (e.getKey().startsWith("\u0000map:")) {
                  // a map schema: the generated list holds the values of one key each
                  String key = e.getKey().substring(5);
                  int i = 0;
                  for (JsonNode v : e.getValue()) {
                    object.set(i++ == 0 ? key : key + "-" + i, v);
                  }
                } else {
                  object.set(e.getKey(), e.getValue());
                }
              }
              return object;
            });
  }

  private Arbitrary<JsonNode> scalar(JsonNode schema) {
    if (schema.has("enum")) {
      List<JsonNode> options = new ArrayList<>();
      schema.get("enum").forEach(options::add);
      return Arbitraries.of(options);
    }
    String type = schema.path("type").asText("");
    String format = schema.path("format").asText("");
    switch (type) {
      case "integer":
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : -5;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : 1_000;
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(min, max)),
                Tuple.of(1, Arbitraries.of(min - 1, max + 1, Long.MAX_VALUE, Long.MIN_VALUE)))
            .map(LongNode::valueOf);
      case "number":
        return Arbitraries.doubles().between(-1e6, 1e6).map(DoubleNode::valueOf);
      case "boolean":
        return Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE);
      case "string":
        if (format.equals("uuid")) {
          return Arbitraries.create(() -> (JsonNode) new TextNode(UUID.randomUUID().toString()));
        }
        if (format.equals("date-time")) {
          return Arbitraries.longs()
              .between(0, 4_102_444_800L)
              .map(s -> (JsonNode) new TextNode(Instant.ofEpochSecond(s).toString()));
        }
        Arbitrary<String> text =
            Arbitraries.frequencyOf(Tuple.of(20, identifier()), Tuple.of(1, hostileString()));
        if (schema.has("example")) {
          text = Arbitraries.oneOf(text, Arbitraries.just(schema.get("example").asText()));
        }
        return text.map(TextNode::valueOf);
      default:
        // no type: any JSON (the job input, outputs, operator states)
        return Arbitraries.oneOf(
            identifier().map(TextNode::valueOf),
            Arbitraries.integers().map(i -> (JsonNode) LongNode.valueOf(i)),
            identifier().map(k -> (JsonNode) NODES.objectNode().put(k, k)));
    }
  }

  private static Arbitrary<JsonNode> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.just(NullNode.getInstance()),
        Arbitraries.just(NODES.arrayNode().add(1)),
        Arbitraries.just(NODES.objectNode().put("nested", true)),
        Arbitraries.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE).map(LongNode::valueOf),
        Arbitraries.of(1e308, -0.0, 3.5).map(DoubleNode::valueOf),
        hostileString().map(TextNode::valueOf));
  }

  static Arbitrary<String> identifier() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .numeric()
        .withChars('-', '_', '.')
        .ofMinLength(1)
        .ofMaxLength(24);
  }

  static Arbitrary<String> hostileString() {
    return Arbitraries.of(HOSTILE_STRINGS);
  }

  private static boolean isHeaderValue(String v) {
    return v.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))
        && v.strip().equals(v)
        && !v.isEmpty();
  }

  private static String encodePath(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String abbreviate(String text) {
    return text.length() <= 300
        ? text
        : text.substring(0, 300) + "...(" + text.length() + " chars)";
  }
}
