package io.jobplane.domain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key/value pairs of a secret as a caller writes them: 1 to {@value #MAX_KEYS} keys (names like
 * environment variables), values without NUL, at most {@value #MAX_BYTES} bytes of UTF-8 keys and
 * values together. Every offending key is reported at once (as {@code data.<key>}). {@link
 * #toString()} names the keys only, so a value never reaches a log line through this record.
 */
public record SecretData(Map<String, String> values) {

  public static final int MAX_KEYS = 128;
  public static final int MAX_BYTES = 64 * 1024;

  public SecretData {
    if (values == null || values.isEmpty()) {
      throw DomainException.invalid("data", "must hold at least one key");
    }
    if (values.size() > MAX_KEYS) {
      throw DomainException.invalid("data", "must hold at most " + MAX_KEYS + " keys");
    }
    List<DomainException.FieldError> errors = new ArrayList<>();
    Map<String, String> copy = new TreeMap<>();
    long bytes = 0;
    for (Map.Entry<String, String> e : values.entrySet()) {
      String field = "data." + e.getKey();
      try {
        SecretRef.key(e.getKey(), field);
      } catch (DomainException invalid) {
        errors.addAll(invalid.errors());
        continue;
      }
      String value = e.getValue();
      if (value == null || value.indexOf('\0') >= 0) {
        errors.add(new DomainException.FieldError(field, "must be a string without NUL"));
        continue;
      }
      bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += value.getBytes(StandardCharsets.UTF_8).length;
      copy.put(e.getKey(), value);
    }
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT, "the secret's data is invalid", errors);
    }
    if (bytes > MAX_BYTES) {
      throw DomainException.invalid(
          "data", "must be at most " + MAX_BYTES + " bytes of keys and values together");
    }
    values = Collections.unmodifiableMap(copy);
  }

  @Override
  public String toString() {
    return "SecretData" + values.keySet();
  }
}
