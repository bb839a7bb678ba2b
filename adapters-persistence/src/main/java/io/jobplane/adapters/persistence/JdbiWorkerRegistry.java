package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link WorkerRegistry} on table {@code workers} (V5, V23). The list is two statements: the
 * workers (index {@code workers_last_seen_idx}; labels matched by V18's {@code
 * webhook_labels_match}, the {@code LabelSelector} rules in SQL), then the tasks they hold (V23's
 * {@code job_tasks_running_worker_idx}), at most {@link #MAX_TASKS_SHOWN} per worker.
 */
public final class JdbiWorkerRegistry implements WorkerRegistry {

  private final Jdbi jdbi;

  public JdbiWorkerRegistry(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<WorkerRecord> list(WorkerFilter filter) {
    return jdbi.inTransaction(
        h -> {
          Map<String, WorkerRecord> found = workers(h, filter);
          if (found.isEmpty()) {
            return List.of();
          }
          Map<String, List<HeldTask>> held = held(h, found.keySet(), filter.projects());
          List<WorkerRecord> result = new ArrayList<>(found.size());
          found.forEach(
              (id, w) ->
                  result.add(
                      new WorkerRecord(
                          w.workerId(),
                          w.hostname(),
                          w.labels(),
                          w.queues(),
                          w.types(),
                          w.projects(),
                          w.firstSeenAt(),
                          w.lastSeenAt(),
                          w.tasksRequested(),
                          w.tasksLeased(),
                          held.getOrDefault(id, List.of()))));
          return result;
        });
  }

  private static Map<String, WorkerRecord> workers(Handle h, WorkerFilter filter) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT worker_id, hostname, queues, first_seen_at, last_seen_at, tasks_requested,"
                + " tasks_leased, CAST(labels AS text) AS labels, types, projects FROM workers"
                + " WHERE "
                + JdbiWorkerPresence.SEEN);
    if (filter.projects() != null) {
      // a project-limited caller sees workers limited to one of its projects, never unscoped ones
      sql.append(" AND projects && CAST(:projects AS text[])");
    }
    if (filter.queue() != null) {
      sql.append(" AND queues @> ARRAY[CAST(:queue AS text)]");
    }
    if (!filter.selector().isEmpty()) {
      sql.append(" AND webhook_labels_match(CAST(:requirements AS jsonb), labels)");
    }
    sql.append(" ORDER BY worker_id LIMIT :limit");
    Query q =
        h.createQuery(sql.toString())
            .bind("since", JobRows.ts(filter.seenSince()))
            .bind("limit", filter.limit());
    if (filter.projects() != null) {
      q.bind("projects", filter.projects().stream().sorted().toArray(String[]::new));
    }
    if (filter.queue() != null) {
      q.bind("queue", filter.queue());
    }
    if (!filter.selector().isEmpty()) {
      q.bind("requirements", JdbiWebhooks.requirements(filter.selector()));
    }
    Map<String, WorkerRecord> found = new LinkedHashMap<>();
    q.map((rs, ctx) -> worker(rs)).forEach(w -> found.put(w.workerId(), w));
    return found;
  }

  /**
   * The RUNNING leases of these workers, on jobs of {@code projects} (null: any), at most {@link
   * #MAX_TASKS_SHOWN} per worker. The last heartbeat is when the lease was last set: its expiry
   * minus its duration.
   */
  private static Map<String, List<HeldTask>> held(
      Handle h, Set<String> workerIds, Set<String> projects) {
    String sql =
        "SELECT worker_id, job_id, run_id, task_index, lease_expires_at,"
            + " lease_expires_at - make_interval(secs => lease_seconds) AS heartbeat_at FROM ("
            + " SELECT t.worker_id, t.job_id, t.run_id, t.task_index, t.lease_expires_at,"
            + " t.lease_seconds, row_number() OVER (PARTITION BY t.worker_id"
            + " ORDER BY t.job_id, t.task_index) AS n"
            + " FROM job_tasks t JOIN jobs j ON j.id = t.job_id"
            + " WHERE t.worker_id = ANY(:workers) AND t.status = 'RUNNING'"
            + (projects == null ? "" : " AND j.project = ANY(:projects)")
            + ") held WHERE n <= :cap ORDER BY worker_id, job_id, task_index";
    Query q =
        h.createQuery(sql)
            .bind("workers", workerIds.toArray(String[]::new))
            .bind("cap", MAX_TASKS_SHOWN);
    if (projects != null) {
      q.bind("projects", projects.stream().sorted().toArray(String[]::new));
    }
    Map<String, List<HeldTask>> held = new HashMap<>();
    q.map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("worker_id"),
                    new HeldTask(
                        new JobId(rs.getObject("job_id", UUID.class)),
                        rs.getInt("run_id"),
                        rs.getInt("task_index"),
                        JobRows.instant(rs, "heartbeat_at"),
                        JobRows.instant(rs, "lease_expires_at"))))
        .forEach(e -> held.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return held;
  }

  @Override
  public int forget(Instant notSeenSince) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM workers WHERE last_seen_at < :before")
                .bind("before", JobRows.ts(notSeenSince))
                .execute());
  }

  private static WorkerRecord worker(ResultSet rs) throws SQLException {
    return new WorkerRecord(
        rs.getString("worker_id"),
        rs.getString("hostname"),
        new Labels(JobRows.labels(rs.getString("labels"))),
        List.of(strings(rs.getArray("queues"))),
        optionalList(rs.getArray("types")),
        rs.getArray("projects") == null ? null : Set.of(strings(rs.getArray("projects"))),
        JobRows.instant(rs, "first_seen_at"),
        JobRows.instant(rs, "last_seen_at"),
        rs.getInt("tasks_requested"),
        rs.getInt("tasks_leased"),
        List.of());
  }

  private static List<String> optionalList(Array array) throws SQLException {
    return array == null ? null : List.of(strings(array));
  }

  private static String[] strings(Array array) throws SQLException {
    return (String[]) array.getArray();
  }
}
