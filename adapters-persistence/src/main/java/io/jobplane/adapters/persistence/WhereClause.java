package io.jobplane.adapters.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AND-ed conditions of a dynamic query and the values they bind. Every value a client chose is
 * bound as a parameter; only the callers' fixed SQL fragments are concatenated.
 */
final class WhereClause {
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> params = new LinkedHashMap<>();

  /** Registers a value and returns its placeholder. */
  String bind(Object value) {
    String name = "p" + params.size();
    params.put(name, value);
    return ":" + name;
  }

  void add(String condition) {
    conditions.add(condition);
  }

  /**
   * Adds {@code "expression :value"} (e.g. {@code "level ="}) when a value is given; a filter
   * criterion left unset matches every row, so it adds nothing.
   */
  void addIfSet(String expression, Object value) {
    if (value != null) {
      add(expression + " " + bind(value));
    }
  }

  String sql() {
    return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
  }

  Map<String, Object> params() {
    return params;
  }
}
