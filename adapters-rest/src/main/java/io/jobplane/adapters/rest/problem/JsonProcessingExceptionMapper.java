package io.jobplane.adapters.rest.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.jobplane.adapters.rest.problem.ProblemDetail.FieldProblem;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.stream.Collectors;

/** Malformed JSON, unknown fields and wrong types: 400 naming the field where known. */
@Provider
public final class JsonProcessingExceptionMapper
    extends UnwrappingProblemMapper<JsonProcessingException> {

  @Override
  Response answer(JsonProcessingException e, String instance) {
    String detail;
    List<FieldProblem> errors = List.of();
    if (e instanceof StreamConstraintsException
        || e.getCause() instanceof StreamConstraintsException) {
      detail = "the JSON document is nested too deeply or has too long values";
    } else if (e instanceof UnrecognizedPropertyException u) {
      String field = path(u);
      detail = "unknown field '" + field + "'";
      errors = List.of(FieldProblem.field(field, "is not a field of this request"));
    } else if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
      String field = path(m);
      String expected = m.getTargetType() == null ? "another type" : describe(m.getTargetType());
      detail = "field '" + field + "' must be " + expected;
      errors = List.of(FieldProblem.field(field, "must be " + expected));
    } else if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      String field = path(m);
      detail = "field '" + field + "' has an invalid value";
      errors = List.of(FieldProblem.field(field, "has an invalid value"));
    } else if (e instanceof JsonParseException) {
      detail = "the request body is not well-formed JSON: " + e.getOriginalMessage();
    } else {
      detail =
          "the request body does not have the expected JSON structure: " + e.getOriginalMessage();
    }
    return Problems.response(
        400, Problems.INVALID_ARGUMENT, "Invalid request body", detail, instance, errors);
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type == String.class) {
      return "a string";
    }
    if (java.util.Map.class.isAssignableFrom(type)
        || com.fasterxml.jackson.databind.node.ObjectNode.class.isAssignableFrom(type)
        || type.isRecord()) {
      return "a JSON object";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a JSON array";
    }
    return "of type " + type.getSimpleName();
  }
}
