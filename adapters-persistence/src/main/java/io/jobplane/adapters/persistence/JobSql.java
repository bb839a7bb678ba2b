package io.jobplane.adapters.persistence;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.Cursor;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.query.Sort;
import io.jobplane.domain.query.SortField;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the dynamic parts of job list queries. Every value a client chose is bound as a parameter;
 * the only text concatenated into SQL are the fixed column expressions below, chosen by enum.
 */
final class JobSql {

  /**
   * Sort keys to column expressions. Text keys compare in the "C" collation (code point order), so
   * the order neither depends on the database locale nor differs from Java's String order for the
   * identifier-like values involved. Progress NULLs count as -1, the lowest value; keyset
   * predicates use the very same expressions.
   */
  private static final Map<SortField, String> SORT_EXPRESSIONS = new EnumMap<>(SortField.class);

  static {
    SORT_EXPRESSIONS.put(SortField.CREATED_AT, "created_at");
    SORT_EXPRESSIONS.put(SortField.UPDATED_AT, "updated_at");
    SORT_EXPRESSIONS.put(SortField.NAME, "name COLLATE \"C\"");
    SORT_EXPRESSIONS.put(SortField.STATUS, "status COLLATE \"C\"");
    SORT_EXPRESSIONS.put(SortField.PRIORITY, "priority");
    SORT_EXPRESSIONS.put(SortField.PROGRESS, "COALESCE(progress, -1)");
    for (SortField f : SortField.values()) {
      if (!SORT_EXPRESSIONS.containsKey(f)) {
        throw new ExceptionInInitializerError("no column for sort field " + f);
      }
    }
  }

  private JobSql() {}

  /** The filter as SQL; {@code withStatuses} false leaves out the status part. */
  static WhereClause where(JobFilter f, boolean withStatuses) {
    WhereClause w = new WhereClause();
    if (withStatuses && f.statuses() != null) {
      w.add("status = ANY(" + w.bind(statusNames(f)) + ")");
    }
    w.addIfSet("type =", f.type());
    w.addIfSet("project =", f.project());
    w.addIfSet("queue =", f.queue());
    w.addIfSet("runtime =", JobRows.name(f.runtime()));
    for (LabelSelector.Requirement r : f.labels().requirements()) {
      switch (r.operator()) {
        case EQUALS ->
            w.add(
                "labels @> CAST("
                    + w.bind(JobRows.labelsJson(Map.of(r.key(), r.value())))
                    + " AS jsonb)");
        case NOT_EQUALS ->
            w.add(
                "NOT (labels @> CAST("
                    + w.bind(JobRows.labelsJson(Map.of(r.key(), r.value())))
                    + " AS jsonb))");
        case EXISTS -> w.add("jsonb_exists(labels, " + w.bind(r.key()) + ")");
        case NOT_EXISTS -> w.add("NOT jsonb_exists(labels, " + w.bind(r.key()) + ")");
      }
    }
    w.addIfSet("created_by =", f.createdBy());
    w.addIfSet("created_at >=", JobRows.ts(f.createdAfter()));
    w.addIfSet("created_at <", JobRows.ts(f.createdBefore()));
    if (f.search() != null) {
      w.add(
          "search_name LIKE "
              + w.bind("%" + escapeLike(JobRows.searchName(f.search())) + "%")
              + " ESCAPE '\\'");
    }
    if (f.visibleProjects() != null) {
      w.add(
          "project = ANY("
              + w.bind(f.visibleProjects().stream().sorted().toArray(String[]::new))
              + ")");
    }
    return w;
  }

  /** Conditions of the summary table for a filter that is countable from it. */
  static WhereClause summaryWhere(JobFilter f) {
    if (!f.countableFromSummary()) {
      throw new IllegalArgumentException("filter is not countable from the summary");
    }
    WhereClause w = new WhereClause();
    w.addIfSet("type =", f.type());
    w.addIfSet("project =", f.project());
    if (f.visibleProjects() != null) {
      w.add(
          "project = ANY("
              + w.bind(f.visibleProjects().stream().sorted().toArray(String[]::new))
              + ")");
    }
    return w;
  }

  private static String[] statusNames(JobFilter f) {
    return f.statuses().stream().map(JobStatus::name).sorted().toArray(String[]::new);
  }

  static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  /** ORDER BY clause: the sort keys, then the id in the direction of the last key. */
  static String orderBy(Sort sort) {
    List<String> parts = new ArrayList<>();
    for (Sort.Key k : sort.keys()) {
      parts.add(SORT_EXPRESSIONS.get(k.field()) + (k.descending() ? " DESC" : " ASC"));
    }
    parts.add("id" + (sort.idDescending() ? " DESC" : " ASC"));
    return String.join(", ", parts);
  }

  /**
   * Adds the keyset condition "strictly after the cursor's row in this sort". When every key runs
   * in one direction it is a row comparison, which an index on the same columns serves as a range;
   * otherwise the lexicographic expansion (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... with a per-key
   * operator.
   */
  static void after(Sort sort, Cursor cursor, WhereClause w) {
    List<String> exprs = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<Boolean> descending = new ArrayList<>();
    for (int i = 0; i < sort.keys().size(); i++) {
      Sort.Key k = sort.keys().get(i);
      exprs.add(SORT_EXPRESSIONS.get(k.field()));
      values.add(w.bind(cursorValue(k.field(), cursor.value(i))));
      descending.add(k.descending());
    }
    exprs.add("id");
    values.add(w.bind(cursor.lastId()));
    descending.add(sort.idDescending());

    boolean uniform = descending.stream().distinct().count() == 1;
    if (uniform) {
      String op = descending.get(0) ? " < " : " > ";
      w.add("(" + String.join(", ", exprs) + ")" + op + "(" + String.join(", ", values) + ")");
      return;
    }
    List<String> alternatives = new ArrayList<>();
    for (int i = 0; i < exprs.size(); i++) {
      StringBuilder b = new StringBuilder("(");
      for (int j = 0; j < i; j++) {
        b.append(exprs.get(j)).append(" = ").append(values.get(j)).append(" AND ");
      }
      b.append(exprs.get(i))
          .append(descending.get(i) ? " < " : " > ")
          .append(values.get(i))
          .append(")");
      alternatives.add(b.toString());
    }
    w.add("(" + String.join(" OR ", alternatives) + ")");
  }

  /** A cursor value as the type its column compares with; a tampered value is the client's. */
  static Object cursorValue(SortField field, String value) {
    try {
      return switch (field) {
        case CREATED_AT, UPDATED_AT -> JobRows.ts(Instant.parse(required(value)));
        case NAME, STATUS -> required(value);
        case PRIORITY -> Integer.parseInt(required(value));
        case PROGRESS -> value == null ? -1 : Integer.parseInt(value);
      };
    } catch (DateTimeParseException | NumberFormatException | NullPointerException e) {
      throw DomainException.invalid("cursor", "is not a cursor this server issued");
    }
  }

  private static String required(String value) {
    if (value == null) {
      throw new NullPointerException();
    }
    return value;
  }
}
