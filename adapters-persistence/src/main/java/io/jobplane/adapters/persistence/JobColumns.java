package io.jobplane.adapters.persistence;

import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.KubernetesPlacement;
import io.jobplane.domain.WorkerPlacement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The columns of a job row, in one place for every statement that writes one: a single row binds
 * each value by its column's name; many rows at once bind one text array per column and insert them
 * from {@code unnest} in one statement ({@link #INSERT_ROWS}), so a group commit of submits costs
 * the database one statement instead of one per job.
 */
final class JobColumns {

  /** A column: its name (also the bound parameter's), its SQL type and its Java type. */
  private record Column(String name, String sqlType, Class<?> javaType) {}

  private static final List<Column> COLUMNS =
      List.of(
          new Column("id", "uuid", UUID.class),
          new Column("name", "text", String.class),
          new Column("search_name", "text", String.class),
          new Column("type", "text", String.class),
          new Column("project", "text", String.class),
          new Column("labels", "jsonb", String.class),
          new Column("input", "text", String.class),
          new Column("max_attempts", "integer", Integer.class),
          new Column("priority", "integer", Integer.class),
          new Column("queue", "text", String.class),
          new Column("runtime", "text", String.class),
          new Column("timeout_seconds", "integer", Integer.class),
          new Column("parallelism", "integer", Integer.class),
          new Column("status", "text", String.class),
          new Column("run_id", "integer", Integer.class),
          new Column("attempt", "integer", Integer.class),
          new Column("progress", "smallint", Integer.class),
          new Column("created_by", "text", String.class),
          new Column("created_at", "timestamptz", OffsetDateTime.class),
          new Column("updated_at", "timestamptz", OffsetDateTime.class),
          new Column("queued_at", "timestamptz", OffsetDateTime.class),
          new Column("started_at", "timestamptz", OffsetDateTime.class),
          new Column("finished_at", "timestamptz", OffsetDateTime.class),
          new Column("error_reason", "text", String.class),
          new Column("error_message", "text", String.class),
          new Column("desired_state", "text", String.class),
          new Column("stop_mode", "text", String.class),
          new Column("stop_timeout_seconds", "integer", Integer.class),
          new Column("checkpoint_id", "text", String.class),
          new Column("version", "bigint", Long.class),
          new Column("command", "jsonb", String.class),
          new Column("env", "jsonb", String.class),
          new Column("k8s_namespace", "text", String.class),
          new Column("k8s_name", "text", String.class),
          new Column("pod_template", "text", String.class),
          new Column("placement_mode", "text", String.class),
          new Column("worker_selector", "text", String.class),
          new Column("worker_requirements", "jsonb", String.class),
          new Column("late_joiners", "boolean", Boolean.class));

  /** The column list, in the order of {@link #values}. */
  static final String NAMES = COLUMNS.stream().map(Column::name).collect(Collectors.joining(", "));

  /** One row, each value bound by its column's name (JSON columns cast from text). */
  static final String INSERT_ROW =
      "INSERT INTO jobs ("
          + NAMES
          + ") VALUES ("
          + COLUMNS.stream().map(c -> cast(":" + c.name(), c)).collect(Collectors.joining(", "))
          + ")";

  /** Many rows in one statement: one text array per column, cast to the column's type. */
  static final String INSERT_ROWS =
      "INSERT INTO jobs ("
          + NAMES
          + ") SELECT * FROM unnest("
          + COLUMNS.stream()
              .map(c -> "CAST(:" + c.name() + " AS " + c.sqlType() + "[])")
              .collect(Collectors.joining(", "))
          + ")";

  private JobColumns() {}

  private static String cast(String parameter, Column c) {
    return c.sqlType().equals("jsonb") ? "CAST(" + parameter + " AS jsonb)" : parameter;
  }

  /** The job's row at {@code version}, in the order of {@link #NAMES}. */
  static Object[] values(JobSnapshot s, long version) {
    JobDefinition d = s.definition();
    KubernetesPlacement k8s = d.kubernetes();
    WorkerPlacement p = d.placement();
    return new Object[] {
      s.id().value(),
      d.name(),
      JobRows.searchName(d.name()),
      d.type(),
      d.project(),
      JobRows.labelsJson(d.labels().values()),
      d.input().json(),
      d.maxAttempts(),
      d.priority(),
      d.queue(),
      d.runtime().name(),
      d.timeoutSeconds(),
      d.parallelism(),
      s.status().name(),
      s.runId(),
      s.attempt(),
      s.progress(),
      s.createdBy(),
      JobRows.ts(s.createdAt()),
      JobRows.ts(s.updatedAt()),
      JobRows.ts(s.queuedAt()),
      JobRows.ts(s.startedAt()),
      JobRows.ts(s.finishedAt()),
      s.error() == null ? null : s.error().reason(),
      s.error() == null ? null : s.error().message(),
      s.desiredState().name(),
      JobRows.name(s.stopMode()),
      s.stopTimeoutSeconds(),
      s.checkpointId(),
      version,
      d.command() == null ? null : JobRows.json(d.command().argv()),
      JobRows.envJson(d),
      k8s == null ? null : k8s.namespace(),
      k8s == null ? null : k8s.resourceName(),
      k8s == null ? null : k8s.podTemplate(),
      p == null ? null : p.mode().name(),
      p == null ? null : p.workerSelector(),
      p == null || p.workerSelector() == null ? null : JdbiWebhooks.requirements(p.selector()),
      p != null && p.includeLateJoiners()
    };
  }

  /** Binds the job's row at {@code version} by column name, each value with its column's type. */
  static <S extends SqlStatement<S>> S bind(S statement, JobSnapshot s, long version) {
    Object[] row = values(s, version);
    for (int i = 0; i < row.length; i++) {
      Column c = COLUMNS.get(i);
      statement.bindByType(c.name(), row[i], c.javaType());
    }
    return statement;
  }

  /** Binds the rows at version 1 as one text array per column, for {@link #INSERT_ROWS}. */
  static <S extends SqlStatement<S>> S bindRows(S statement, List<JobSnapshot> jobs) {
    String[][] columns = new String[COLUMNS.size()][jobs.size()];
    for (int r = 0; r < jobs.size(); r++) {
      Object[] row = values(jobs.get(r), 1L);
      for (int i = 0; i < row.length; i++) {
        columns[i][r] = text(row[i]);
      }
    }
    for (int i = 0; i < columns.length; i++) {
      statement.bind(COLUMNS.get(i).name(), columns[i]);
    }
    return statement;
  }

  /** A value as PostgreSQL reads it back from text; times always with their seconds. */
  private static String text(Object value) {
    if (value instanceof OffsetDateTime t) {
      return t.toInstant().toString();
    }
    return value == null ? null : value.toString();
  }
}
