package io.jobplane.domain.query;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes-style equality selector: {@code env=prod,tier!=web,gpu,!spot}. Each requirement is
 * validated with the label syntax, so nothing but well-formed keys and values reaches a query.
 */
public record LabelSelector(List<Requirement> requirements) {

  public enum Operator {
    EQUALS,
    NOT_EQUALS,
    EXISTS,
    NOT_EXISTS
  }

  public record Requirement(String key, Operator operator, String value) {
    public boolean matches(Map<String, String> labels) {
      return switch (operator) {
        case EQUALS -> value.equals(labels.get(key));
        case NOT_EQUALS -> !value.equals(labels.get(key));
        case EXISTS -> labels.containsKey(key);
        case NOT_EXISTS -> !labels.containsKey(key);
      };
    }
  }

  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());
  public static final int MAX_REQUIREMENTS = 20;

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  public static LabelSelector parse(String text) {
    if (text == null) {
      return EVERYTHING;
    }
    if (text.isBlank()) {
      throw DomainException.invalid("labels", "selector must not be empty");
    }
    List<Requirement> reqs = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String part = raw.trim();
      Requirement r;
      int ne = part.indexOf("!=");
      int eq = part.indexOf('=');
      if (ne > 0) {
        r =
            new Requirement(
                key(part.substring(0, ne)),
                Operator.NOT_EQUALS,
                value(part.substring(0, ne), part.substring(ne + 2)));
      } else if (eq > 0) {
        int valueStart = part.startsWith("==", eq) ? eq + 2 : eq + 1;
        r =
            new Requirement(
                key(part.substring(0, eq)),
                Operator.EQUALS,
                value(part.substring(0, eq), part.substring(valueStart)));
      } else if (part.startsWith("!")) {
        r = new Requirement(key(part.substring(1)), Operator.NOT_EXISTS, null);
      } else {
        r = new Requirement(key(part), Operator.EXISTS, null);
      }
      reqs.add(r);
    }
    if (reqs.size() > MAX_REQUIREMENTS) {
      throw DomainException.invalid("labels", "at most " + MAX_REQUIREMENTS + " requirements");
    }
    return new LabelSelector(reqs);
  }

  private static String key(String key) {
    String k = key.trim();
    Labels.validateKey(k, "labels");
    return k;
  }

  private static String value(String key, String value) {
    String v = value.trim();
    try {
      Labels.validateValue(key.trim(), v);
    } catch (DomainException e) {
      throw DomainException.invalid("labels", e.errors().get(0).message());
    }
    return v;
  }

  public boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }
}
