package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobListExpansions;
import io.jobplane.domain.JobId;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.TimelineEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link JobListExpansions} on PostgreSQL: each method is one statement for the whole page.
 *
 * <p>The page's jobs arrive as arrays ({@code unnest}), and each job is read on its own with {@code
 * LATERAL ... ORDER BY ... LIMIT}, so a job contributes at most its first tasks (by the primary key
 * {@code (job_id, run_id, task_index)}) or its newest events (by {@code job_events_job_id_id_idx}),
 * however many it has: a window function over all of a job's rows would read every event of a job
 * with a long timeline. Counts over a whole run are aggregates computed in the database, so a run's
 * tasks (at most {@code JobDefinition.MAX_PARALLELISM}) are counted there, not sent.
 */
public final class JdbiJobListExpansions implements JobListExpansions {

  private static final String TASK = "t_";

  /** The page's runs, one row per job: {@code r.rid} the job, {@code r.rrun} its run. */
  private static final String RUNS =
      " FROM unnest(CAST(:job_ids AS uuid[]), CAST(:run_ids AS integer[])) AS r(rid, rrun)";

  private static final String RUN_OF_R = " WHERE x.job_id = r.rid AND x.run_id = r.rrun";

  private static final String TASKS =
      "SELECT r.rid, "
          + Arrays.stream(TaskStatus.values())
              .map(s -> "c." + column(s))
              .collect(Collectors.joining(", "))
          + ", "
          + withoutOutput(JdbiTaskRepository.columnsAs(TASK))
          + RUNS
          + " CROSS JOIN LATERAL (SELECT "
          + Arrays.stream(TaskStatus.values())
              .map(s -> "count(*) FILTER (WHERE x.status = '" + s.name() + "') AS " + column(s))
              .collect(Collectors.joining(", "))
          + " FROM job_tasks x"
          + RUN_OF_R
          + ") c"
          + " LEFT JOIN LATERAL (SELECT x.* FROM job_tasks x"
          + RUN_OF_R
          + " ORDER BY x.task_index LIMIT :first) t ON true"
          + " ORDER BY r.rid, t.task_index";

  private static final String ITEMS =
      "SELECT x.job_id, sum(x.items_total) AS total, sum(x.items_completed) AS completed,"
          + " sum(x.items_failed) AS failed FROM job_tasks x"
          + " WHERE (x.job_id, x.run_id) IN (SELECT r.rid, r.rrun"
          + RUNS
          + ") AND x.items_total IS NOT NULL GROUP BY x.job_id";

  private static final String OUTPUTS =
      "SELECT r.rid, c.tasks, c.outputs, c.changed, f.task_index, f.output"
          + RUNS
          + " CROSS JOIN LATERAL (SELECT count(*) AS tasks, count(x.output) AS outputs,"
          + " bool_or(x.changed) AS changed FROM job_tasks x"
          + RUN_OF_R
          + ") c"
          + " LEFT JOIN LATERAL (SELECT x.task_index, CASE WHEN octet_length(x.output::text)"
          + " <= :max_bytes THEN x.output::text END AS output FROM job_tasks x"
          + RUN_OF_R
          + " ORDER BY x.task_index LIMIT :first) f ON true"
          + " ORDER BY r.rid, f.task_index";

  private static final String EVENTS =
      "SELECT r.rid, e.* FROM unnest(CAST(:job_ids AS uuid[])) AS r(rid)"
          + " CROSS JOIN LATERAL (SELECT id, "
          + JobDao.EVENT_COLUMNS
          + " FROM job_events WHERE job_id = r.rid ORDER BY id DESC LIMIT :per_job) e"
          + " ORDER BY r.rid, e.id DESC";

  private final Jdbi jdbi;

  public JdbiJobListExpansions(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Map<JobId, RunTasks> tasks(Map<JobId, Integer> runs, int first) {
    if (runs.isEmpty()) {
      return Map.of();
    }
    Map<JobId, Map<TaskStatus, Integer>> counts = new HashMap<>();
    Map<JobId, List<TaskState>> tasks = new HashMap<>();
    jdbi.useHandle(
        h ->
            bindRuns(h.createQuery(TASKS), runs)
                .bind("first", first)
                .reduceResultSet(
                    null,
                    (ignored, rs, ctx) -> {
                      JobId id = new JobId(rs.getObject("rid", UUID.class));
                      counts.computeIfAbsent(id, k -> statusCounts(rs));
                      List<TaskState> listed = tasks.computeIfAbsent(id, k -> new ArrayList<>());
                      if (rs.getObject(TASK + "job_id") != null) {
                        listed.add(JdbiTaskRepository.task(rs, TASK));
                      }
                      return null;
                    }));
    Map<JobId, RunTasks> answer = new HashMap<>();
    counts.forEach(
        (id, byStatus) ->
            answer.put(id, new RunTasks(TaskSummary.counted(byStatus), tasks.get(id))));
    return answer;
  }

  @Override
  public Map<JobId, TaskItems> items(Map<JobId, Integer> runs) {
    if (runs.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        h ->
            bindRuns(h.createQuery(ITEMS), runs)
                .reduceRows(
                    new HashMap<JobId, TaskItems>(),
                    (map, row) -> {
                      map.put(
                          new JobId(row.getColumn("job_id", UUID.class)),
                          new TaskItems(
                              row.getColumn("total", Long.class),
                              row.getColumn("completed", Long.class),
                              row.getColumn("failed", Long.class)));
                      return map;
                    }));
  }

  @Override
  public Map<JobId, RunOutputs> outputs(Map<JobId, Integer> runs, int first, int maxBytes) {
    if (runs.isEmpty()) {
      return Map.of();
    }
    Map<JobId, long[]> outputCounts = new HashMap<>();
    Map<JobId, Boolean> changed = new HashMap<>();
    Map<JobId, List<String>> shown = new LinkedHashMap<>();
    jdbi.useHandle(
        h ->
            bindRuns(h.createQuery(OUTPUTS), runs)
                .bind("first", first)
                .bind("max_bytes", maxBytes)
                .reduceResultSet(
                    null,
                    (ignored, rs, ctx) -> {
                      if (rs.getLong("tasks") == 0) {
                        return null; // no tasks: nothing to show, absent from the answer
                      }
                      JobId id = new JobId(rs.getObject("rid", UUID.class));
                      long outputs = rs.getLong("outputs");
                      boolean anyChanged = rs.getBoolean("changed");
                      changed.put(id, rs.wasNull() ? null : anyChanged);
                      long[] count = outputCounts.computeIfAbsent(id, k -> new long[] {outputs});
                      String output = rs.getString("output");
                      if (output != null) {
                        count[0]--; // shown, so not omitted
                      }
                      shown.computeIfAbsent(id, k -> new ArrayList<>()).add(output);
                      return null;
                    }));
    Map<JobId, RunOutputs> answer = new HashMap<>();
    shown.forEach(
        (id, outputs) ->
            answer.put(
                id, new RunOutputs(outputs, (int) outputCounts.get(id)[0], changed.get(id))));
    return answer;
  }

  @Override
  public Map<JobId, List<TimelineEvent>> latestEvents(Collection<JobId> jobs, int perJob) {
    if (jobs.isEmpty() || perJob <= 0) {
      return Map.of();
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(EVENTS)
                .bind("job_ids", jobs.stream().map(JobId::value).toArray(UUID[]::new))
                .bind("per_job", perJob)
                .reduceResultSet(
                    new HashMap<JobId, List<TimelineEvent>>(),
                    (map, rs, ctx) -> {
                      map.computeIfAbsent(
                              new JobId(rs.getObject("rid", UUID.class)), k -> new ArrayList<>())
                          .add(JobRows.EVENT.map(rs, ctx));
                      return map;
                    }));
  }

  private static Query bindRuns(Query query, Map<JobId, Integer> runs) {
    List<Map.Entry<JobId, Integer>> keys = List.copyOf(runs.entrySet());
    return query
        .bind("job_ids", keys.stream().map(e -> e.getKey().value()).toArray(UUID[]::new))
        .bind("run_ids", keys.stream().map(Map.Entry::getValue).toArray(Integer[]::new));
  }

  /** The count columns of the current row, by status. */
  private static Map<TaskStatus, Integer> statusCounts(ResultSet rs) {
    Map<TaskStatus, Integer> byStatus = new EnumMap<>(TaskStatus.class);
    try {
      for (TaskStatus s : TaskStatus.values()) {
        byStatus.put(s, rs.getInt(column(s)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading task counts", e);
    }
    return byStatus;
  }

  /**
   * The task columns with the output left out: a task's output may be 256 KiB, and expand=output
   * reads it bounded.
   */
  private static String withoutOutput(String columns) {
    String output = "t.output AS " + TASK + "output";
    if (!columns.contains(output)) {
      throw new IllegalStateException("no " + output + " in " + columns);
    }
    return columns.replace(output, "NULL::jsonb AS " + TASK + "output");
  }

  private static String column(TaskStatus status) {
    return "c_" + status.name().toLowerCase(Locale.ROOT);
  }
}
