package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.SecretRef;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's {@code env} on the wire: each value a string, or a reference {@code {"secret": name,
 * "key": key}} to a key of a secret of the job's project. Splits it into the domain's plain
 * variables and references, and joins them back for responses.
 */
public final class EnvBody {

  private EnvBody() {}

  /** A reference to one key of a secret; shown as it is, since it holds no value. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "SecretRef",
      description =
          "the value of key `key` of secret `secret`: a secret of the job's project (worker"
              + " jobs, resolved into the claim for the lease holder only), or a Kubernetes Secret"
              + " in the job's namespace (kubernetes jobs, resolved by the pod)",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record SecretRefBody(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 63, example = "db")
          String secret,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "PASSWORD") String key) {

    static SecretRefBody from(SecretRef ref) {
      return new SecretRefBody(ref.secret(), ref.key());
    }
  }

  /** The schema of one value of {@code env} (documentation only). */
  @Schema(
      name = "EnvValue",
      description = "a plain value, or a reference to a key of a secret",
      oneOf = {String.class, SecretRefBody.class})
  public interface EnvValue {}

  /** The variables of a request's {@code env}, split. */
  public record Split(Map<String, String> plain, Map<String, SecretRef> secrets) {}

  /**
   * Splits {@code env}; every value that is neither a string nor a well-formed reference is
   * reported at once, as {@code env.<name>}.
   */
  public static Split parse(Map<String, JsonNode> env) {
    Map<String, String> plain = new LinkedHashMap<>();
    Map<String, SecretRef> secrets = new LinkedHashMap<>();
    List<DomainException.FieldError> errors = new ArrayList<>();
    if (env != null) {
      env.forEach(
          (name, value) -> {
            String field = "env." + name;
            if (value != null && value.isTextual()) {
              plain.put(name, value.asText());
            } else if (value != null && value.isObject() && isReference(value)) {
              try {
                secrets.put(
                    name, new SecretRef(value.get("secret").asText(), value.get("key").asText()));
              } catch (DomainException e) {
                e.errors()
                    .forEach(
                        f ->
                            errors.add(
                                new DomainException.FieldError(
                                    field + "." + f.field(), f.message())));
              }
            } else {
              errors.add(
                  new DomainException.FieldError(
                      field, "must be a string or {\"secret\": <name>, \"key\": <key>}"));
            }
          });
    }
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT, "env has invalid values", errors);
    }
    return new Split(plain, secrets);
  }

  private static boolean isReference(JsonNode value) {
    if (value.size() != 2 || !value.path("secret").isTextual() || !value.path("key").isTextual()) {
      return false;
    }
    for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!n.equals("secret") && !n.equals("key")) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@code env} of a response: plain values ({@code hidden} instead of each when not {@code
   * reveal}) and references as they are, by name; null without variables of either kind.
   */
  public static Map<String, Object> show(
      Map<String, String> plain, Map<String, SecretRef> secrets, boolean reveal, String hidden) {
    if (plain == null && secrets.isEmpty()) {
      return null;
    }
    Map<String, Object> env = new TreeMap<>();
    if (plain != null) {
      plain.forEach((k, v) -> env.put(k, reveal ? v : hidden));
    }
    secrets.forEach((k, ref) -> env.put(k, SecretRefBody.from(ref)));
    return env;
  }
}
