package io.jobplane.domain;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Labels in Kubernetes syntax, so the same selectors work on REST-submitted jobs and on custom
 * resources: keys are an optional DNS-subdomain prefix and a name of at most 63 characters, values
 * at most 63 characters of alphanumerics, '-', '_' and '.', beginning and ending alphanumeric.
 */
public record Labels(Map<String, String> values) {

  public static final int MAX_LABELS = 64;
  private static final Pattern NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  private static final Pattern PREFIX =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public static final Labels EMPTY = new Labels(Map.of());

  public Labels {
    if (values == null) {
      values = Map.of();
    }
    if (values.size() > MAX_LABELS) {
      throw DomainException.invalid("labels", "at most " + MAX_LABELS + " labels are allowed");
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      validateKey(e.getKey(), "labels");
      validateValue(e.getKey(), e.getValue());
      sorted.put(e.getKey(), e.getValue());
    }
    values = Collections.unmodifiableMap(sorted);
  }

  public static void validateKey(String key, String field) {
    if (key == null || key.isEmpty()) {
      throw DomainException.invalid(field, "label key must not be empty");
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !PREFIX.matcher(prefix).matches()) {
        throw DomainException.invalid(
            field, "label key '" + printable(key) + "' has an invalid prefix (a DNS subdomain)");
      }
    }
    if (name.length() > 63 || !NAME.matcher(name).matches()) {
      throw DomainException.invalid(
          field,
          "label key '"
              + printable(key)
              + "' must be at most 63 alphanumerics, '-', '_' or '.', starting and ending"
              + " alphanumeric");
    }
  }

  public static void validateValue(String key, String value) {
    if (value == null) {
      throw DomainException.invalid("labels", "label '" + printable(key) + "' has no value");
    }
    if (!value.isEmpty() && (value.length() > 63 || !NAME.matcher(value).matches())) {
      throw DomainException.invalid(
          "labels",
          "label value for '"
              + printable(key)
              + "' must be empty or at most 63 alphanumerics, '-', '_' or '.', starting and"
              + " ending alphanumeric");
    }
  }

  private static String printable(String s) {
    String shortened = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return shortened.replaceAll("\\p{Cntrl}", "?");
  }
}
