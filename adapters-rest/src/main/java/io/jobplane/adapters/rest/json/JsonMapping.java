package io.jobplane.adapters.rest.json;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration of the API. */
public final class JsonMapping {

  /** Deeper documents are refused with 400; jobs have no business nesting further. */
  public static final int MAX_NESTING_DEPTH = 64;

  private static final ObjectMapper SHARED = create();
  private static final ObjectWriter TREE = SHARED.writerFor(JsonNode.class);

  private JsonMapping() {}

  /**
   * snake_case names, RFC 3339 UTC instants, unknown fields refused (mass assignment), no silent
   * coercion of scalars ("3" is not an integer), duplicate keys refused, nesting bounded, and no
   * null inside a list or map of a request ({@code "lines":[null]}, {@code "env":{"A":null}}): it
   * is refused with 400 naming the element instead of reaching the code as a null element.
   */
  public static ObjectMapper create() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    return JsonMapper.builder(factory)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
        .build();
  }

  /** A shared instance for the adapter's own reading and writing (thread-safe once built). */
  public static ObjectMapper mapper() {
    return SHARED;
  }

  /**
   * A writer of the shared configuration prepared for one type: its serializer is resolved once,
   * when the writer is made, instead of on every call. Hold it in a constant.
   */
  public static ObjectWriter writerFor(Class<?> type) {
    return SHARED.writerFor(type);
  }

  /** A request document (input, pod template, output) as the JSON text that is stored. */
  public static String text(JsonNode node) throws JsonProcessingException {
    return TREE.writeValueAsString(node);
  }

  /**
   * A response body written by a prepared writer, for a resource to answer with instead of an
   * object Jersey's Jackson provider would write: that provider looks up its writer per response by
   * hashing the resource method's annotations, which on our OpenAPI-annotated methods cost more
   * than writing the JSON. A DTO that cannot be written is a bug, so a 500, not a 400.
   */
  public static byte[] bytes(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }
}
