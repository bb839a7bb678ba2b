package io.jobplane.adapters.rest.resource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.jobplane.adapters.rest.json.JsonMapping;
import io.jobplane.adapters.rest.json.WellFormedTextInterceptor;
import io.jobplane.domain.DomainException;

/**
 * Request bodies that carry a secret (a secret's values, a webhook's signing secret), parsed here
 * rather than by the JSON provider: a parser's message quotes the token it stumbled on, which in
 * these bodies may be part of the secret, so a malformed body is refused naming at most a field.
 */
final class QuietBodies {

  private QuietBodies() {}

  /**
   * The body as {@code type}; a malformed one is refused against {@code field} with {@code shape}
   * (what the body should look like), an unknown field by its name, never with the body's text.
   */
  static <T> T read(String body, Class<T> type, String field, String shape) {
    if (body == null || body.isBlank()) {
      throw Bodies.missing();
    }
    JsonNode tree;
    T value;
    try {
      tree = JsonMapping.mapper().readTree(body);
      value = JsonMapping.mapper().treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw DomainException.invalid(e.getPropertyName(), "is not a field of this request");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw DomainException.invalid(field, shape);
    }
    Bodies.required(value);
    String illFormed = WellFormedTextInterceptor.firstIllFormed(tree, "");
    if (illFormed != null) {
      throw DomainException.invalid(
          illFormed, "must be well-formed unicode text: an unpaired surrogate cannot be stored");
    }
    return value;
  }
}
