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
import java.util.Random;
import java.util.UUID;

/**
 * Generates HTTP requests from the served OpenAPI document: every operation, its path, query and
 * header parameters and its request body schema. Most values follow the schema (so requests get
 * past parsing and reach the use cases); the rest are hostile: wrong types, missing required
 * fields, unknown fields, out-of-range numbers, injection strings, control characters, malformed
 * and deeply nested JSON, other callers' tokens. One seed gives one sequence of requests.
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
          + abbreviate(path)
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
  private static final String IDENTIFIER_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_.";

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

  private static final List<String> MALFORMED_BODIES =
      List.of(
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

  private static final List<String> SERVER_OWNED =
      List.of("status", "attempt", "created_by", "epoch", "version", "extra");

  private final OpenApiContract contract;
  private final List<OpenApiContract.Operation> operations;
  private final Random random;

  OpenApiRequests(OpenApiContract contract, long seed) {
    this.contract = contract;
    this.operations = contract.operations();
    this.random = new Random(seed);
  }

  /** The next request: an operation chosen uniformly, its parts generated from its schemas. */
  FuzzRequest next() {
    OpenApiContract.Operation op = operations.get(random.nextInt(operations.size()));
    String body = body(op);
    Map<String, String> headers = headers(op, body != null);
    String caller =
        pick(
            new int[] {14, 1, 1, 1, 1, 1},
            "admin",
            "viewer",
            "worker",
            "outsider",
            "anonymous",
            "forged");
    return new FuzzRequest(op, path(op) + query(op), headers, body, caller);
  }

  private String path(OpenApiContract.Operation op) {
    String path = op.path();
    for (JsonNode p : op.parameters("path")) {
      String name = p.get("name").asText();
      path = path.replace("{" + name + "}", pathValue(name, contract.resolve(p.get("schema"))));
    }
    return path;
  }

  private String pathValue(String name, JsonNode schema) {
    if (name.equals("id") || name.equals("job_id")) {
      int roll = random.nextInt(12);
      return roll < 10
          ? POOL + random.nextInt(10_000) + "}"
          : roll == 10 ? UUID.randomUUID().toString() : encodePath(nonEmptyHostile());
    }
    if (name.equals("task_index")) {
      return random.nextInt(9) < 8
          ? Integer.toString(random.nextInt(5) - 1)
          : encodePath(nonEmptyHostile());
    }
    String value =
        random.nextBoolean()
            ? pickOne(List.of("chk-1", "source_1", "sink_1"))
            : scalar(schema).asText();
    return value.isEmpty() ? "x" : encodePath(value);
  }

  private String query(OpenApiContract.Operation op) {
    List<String> parts = new ArrayList<>();
    for (JsonNode p : op.parameters("query")) {
      if (chance(0.4)) {
        String value =
            random.nextInt(11) < 10
                ? scalar(contract.resolve(p.get("schema"))).asText()
                : hostileString();
        if (p.get("name").asText().equals("follow") && value.equals("true")) {
          // like Accept: text/event-stream, follow=true answers a live stream that does not end
          value = "false";
        }
        parts.add(p.get("name").asText() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    if (chance(0.05)) {
      parts.add(pickOne(List.of("colour=blue", "limit=1&limit=2", "a%5B%5D=1")));
    }
    return parts.isEmpty() ? "" : "?" + String.join("&", parts);
  }

  private Map<String, String> headers(OpenApiContract.Operation op, boolean hasBody) {
    Map<String, String> headers = new LinkedHashMap<>();
    // never text/event-stream: a live watch answers with a stream that does not end
    headers.put("Accept", "application/json, application/problem+json, text/plain;q=0.5");
    for (JsonNode p : op.parameters("header")) {
      if (chance(0.4)) {
        String value =
            random.nextBoolean()
                ? scalar(contract.resolve(p.get("schema"))).asText()
                : randomAscii(random.nextInt(300));
        if (isHeaderValue(value)) {
          headers.put(p.get("name").asText(), value);
        }
      }
    }
    if (hasBody) {
      headers.put(
          "Content-Type",
          pick(new int[] {20, 1, 1}, "application/json", "text/plain", "application/xml"));
    }
    return headers;
  }

  private String body(OpenApiContract.Operation op) {
    JsonNode content = op.node().path("requestBody").path("content").path("application/json");
    if (content.isMissingNode()) {
      return chance(0.1) ? pickOne(MALFORMED_BODIES) : null;
    }
    if (random.nextInt(17) == 0) {
      return pickOne(MALFORMED_BODIES);
    }
    return value(contract.resolve(content.get("schema")), 0).toString();
  }

  /** A value for a schema: usually valid, sometimes of the wrong type or absurd. */
  private JsonNode value(JsonNode schema, int depth) {
    return random.nextInt(31) == 0 ? hostile() : valid(schema, depth);
  }

  private JsonNode valid(JsonNode rawSchema, int depth) {
    JsonNode schema = contract.resolve(rawSchema);
    String type = schema.path("type").asText("");
    if (depth > MAX_DEPTH) {
      return scalar(schema);
    }
    if (type.equals("object") || schema.has("properties")) {
      return object(schema, depth);
    }
    if (type.equals("array")) {
      ArrayNode array = NODES.arrayNode();
      for (int i = random.nextInt(5); i > 0; i--) {
        array.add(value(schema.path("items"), depth + 1));
      }
      return array;
    }
    return scalar(schema);
  }

  private JsonNode object(JsonNode schema, int depth) {
    ObjectNode object = NODES.objectNode();
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    schema
        .path("properties")
        .fields()
        .forEachRemaining(
            p -> {
              if (chance(required.contains(p.getKey()) ? 0.97 : 0.5)) {
                object.set(p.getKey(), value(p.getValue(), depth + 1));
              }
            });
    JsonNode wait = object.path("wait_seconds");
    if (wait.isIntegralNumber() && wait.asLong() > 1 && wait.asLong() <= 30) {
      // a claim may wait that long for work, and the fuzzer sends one request at a time: a
      // second exercises the waiting path without holding the run up for minutes
      object.put("wait_seconds", 1);
    }
    JsonNode additional = schema.path("additionalProperties");
    if (additional.isObject() || additional.asBoolean(false)) {
      JsonNode valueSchema = additional.isObject() ? additional : NODES.objectNode();
      for (int i = random.nextInt(4); i > 0; i--) {
        String key = random.nextInt(21) < 20 ? identifier() : hostileString();
        object.set(key, value(valueSchema, depth + 1));
      }
    }
    if (chance(0.03)) {
      // a field the schema does not have, as a client assigning server-owned state would send
      object.put(pickOne(SERVER_OWNED), "SUCCEEDED");
    }
    return object;
  }

  private JsonNode scalar(JsonNode schema) {
    if (schema.has("enum")) {
      List<JsonNode> options = new ArrayList<>();
      schema.get("enum").forEach(options::add);
      return pickOne(options);
    }
    String format = schema.path("format").asText("");
    switch (schema.path("type").asText("")) {
      case "integer":
        long min = schema.has("minimum") ? schema.get("minimum").asLong() : -5;
        long max = schema.has("maximum") ? schema.get("maximum").asLong() : 1_000;
        return LongNode.valueOf(
            random.nextInt(9) < 8
                ? min + (long) (random.nextDouble() * (max - min + 1))
                : pickOne(List.of(min - 1, max + 1, Long.MAX_VALUE, Long.MIN_VALUE)));
      case "number":
        return DoubleNode.valueOf((random.nextDouble() - 0.5) * 2e6);
      case "boolean":
        return BooleanNode.valueOf(random.nextBoolean());
      case "string":
        if (format.equals("uuid")) {
          return new TextNode(UUID.randomUUID().toString());
        }
        if (format.equals("date-time")) {
          return new TextNode(
              Instant.ofEpochSecond((long) (random.nextDouble() * 4_102_444_800L)).toString());
        }
        if (schema.has("example") && random.nextBoolean()) {
          return new TextNode(schema.get("example").asText());
        }
        return new TextNode(random.nextInt(21) < 20 ? identifier() : hostileString());
      default:
        // no type: any JSON (the job input, outputs, operator states)
        return switch (random.nextInt(3)) {
          case 0 -> new TextNode(identifier());
          case 1 -> LongNode.valueOf(random.nextInt());
          default -> NODES.objectNode().put(identifier(), identifier());
        };
    }
  }

  private JsonNode hostile() {
    return switch (random.nextInt(6)) {
      case 0 -> NullNode.getInstance();
      case 1 -> NODES.arrayNode().add(1);
      case 2 -> NODES.objectNode().put("nested", true);
      case 3 -> LongNode.valueOf(pickOne(List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE)));
      case 4 -> DoubleNode.valueOf(pickOne(List.of(1e308, -0.0, 3.5)));
      default -> new TextNode(hostileString());
    };
  }

  private String identifier() {
    StringBuilder s = new StringBuilder();
    for (int i = 1 + random.nextInt(24); i > 0; i--) {
      s.append(IDENTIFIER_CHARS.charAt(random.nextInt(IDENTIFIER_CHARS.length())));
    }
    return s.toString();
  }

  private String hostileString() {
    return pickOne(HOSTILE_STRINGS);
  }

  private String nonEmptyHostile() {
    String s = hostileString();
    return s.isEmpty() ? " " : s;
  }

  private String randomAscii(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (0x20 + random.nextInt(0x5f)));
    }
    return s.toString();
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pickOne(List<T> options) {
    return options.get(random.nextInt(options.size()));
  }

  @SafeVarargs
  private <T> T pick(int[] weights, T... options) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return options[i];
      }
    }
    throw new IllegalStateException("weights " + weights.length + " for " + options.length);
  }

  private static boolean isHeaderValue(String v) {
    return !v.isEmpty()
        && v.strip().equals(v)
        && v.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f));
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
