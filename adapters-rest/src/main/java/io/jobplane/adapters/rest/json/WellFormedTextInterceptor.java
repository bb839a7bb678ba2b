package io.jobplane.adapters.rest.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobplane.domain.DomainException;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses request bodies whose strings are not well-formed Unicode. JSON may spell an unpaired
 * surrogate ({@code "\ud800"}); Java keeps it, but UTF-8 cannot encode it, so PostgreSQL would
 * store a '?' in its place and the job read back would differ from the one acknowledged. Checked
 * once, on the read request object (names, labels, input, commands, reports), as a 400 naming the
 * field.
 */
public final class WellFormedTextInterceptor implements ReaderInterceptor {

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    Object entity = context.proceed();
    if (entity == null || entity instanceof String) {
      return entity;
    }
    JsonNode tree =
        entity instanceof JsonNode node ? node : JsonMapping.mapper().valueToTree(entity);
    String field = firstIllFormed(tree, "");
    if (field != null) {
      throw DomainException.invalid(
          field.isEmpty() ? "body" : field,
          "must be well-formed unicode text: an unpaired surrogate cannot be stored");
    }
    return entity;
  }

  /** The path of the first string (value or key) holding an unpaired surrogate, else null. */
  public static String firstIllFormed(JsonNode node, String path) {
    if (node.isTextual()) {
      return isWellFormed(node.textValue()) ? null : path;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = firstIllFormed(node.get(i), path + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        if (!isWellFormed(field.getKey())) {
          return child;
        }
        String found = firstIllFormed(field.getValue(), child);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  public static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
