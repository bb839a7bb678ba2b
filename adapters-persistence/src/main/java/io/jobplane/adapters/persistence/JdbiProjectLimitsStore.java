package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.ProjectLimits.QueueLimits;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ProjectLimitsStore} on PostgreSQL (tables project_limits and project_queue_limits, V24).
 * Every method joins the transaction a {@link JdbiTransactionRunner} has open on the current
 * thread.
 *
 * <p>Counts: the project's waiting jobs come from job_status_counts (V10: a few rows per status,
 * exact in the writer's transaction); a queue's are counted on {@code jobs_unfinished_queue_idx}
 * (V17) and stop at the limit they are compared with; running jobs are counted on {@code
 * jobs_running_idx} (V24), which holds only running jobs.
 */
public final class JdbiProjectLimitsStore implements ProjectLimitsStore {

  /**
   * First key of the transaction-level advisory lock that serializes a project's admissions (its
   * submits while it has a queued limit); the second is the project's hashtext. A collision of two
   * projects' hashes only makes them wait for each other.
   */
  static final int ADMISSION_LOCK = 0x4a504c51; // "JPLQ"

  /** First key of the advisory lock a claim takes for a project with a running limit. */
  static final int CLAIM_LOCK = 0x4a504c52; // "JPLR"

  static final String WAITING = "('PENDING', 'SUSPENDED', 'QUEUED')";
  static final String RUNNING = "('RUNNING', 'STOPPING')";

  private final Jdbi jdbi;

  public JdbiProjectLimitsStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<StoredLimits> find(String project) {
    return jdbi.inTransaction(
        h -> {
          List<StoredLimits> found = read(h, List.of(project), 1);
          return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        });
  }

  @Override
  public List<StoredLimits> all(int max) {
    return jdbi.inTransaction(h -> read(h, null, max));
  }

  @Override
  public List<StoredLimits> find(Collection<String> projects) {
    if (projects.isEmpty()) {
      return List.of();
    }
    List<String> names = projects.stream().distinct().sorted().toList();
    return jdbi.inTransaction(h -> read(h, names, names.size()));
  }

  /** The limits of the given projects (null: every project), by project, at most {@code max}. */
  private static List<StoredLimits> read(Handle h, List<String> projects, int max) {
    String where = projects == null ? "" : " WHERE l.project = ANY(:projects)";
    var query =
        h.createQuery(
                "SELECT l.project, l.max_running, l.max_queued, l.weight, l.updated_at,"
                    + " l.updated_by, q.queue, q.max_running AS queue_max_running,"
                    + " q.max_queued AS queue_max_queued"
                    + " FROM (SELECT * FROM project_limits l"
                    + where
                    + " ORDER BY l.project LIMIT :max) l"
                    + " LEFT JOIN project_queue_limits q ON q.project = l.project"
                    + " ORDER BY l.project, q.queue")
            .bind("max", max);
    if (projects != null) {
      query.bind("projects", projects.toArray(String[]::new));
    }
    return query.scanResultSet(
        (results, ctx) -> {
          Map<String, Row> rows = new LinkedHashMap<>();
          try (ResultSet rs = results.get()) {
            while (rs.next()) {
              Row row = rows.computeIfAbsent(rs.getString("project"), p -> new Row());
              row.read(rs);
            }
          }
          List<StoredLimits> out = new ArrayList<>(rows.size());
          rows.forEach((project, row) -> out.add(row.limits(project)));
          return out;
        });
  }

  /** One project's rows, gathered. */
  private static final class Row {
    Integer maxRunning;
    Long maxQueued;
    int weight;
    Instant updatedAt;
    String updatedBy;
    final Map<String, QueueLimits> queues = new LinkedHashMap<>();

    void read(ResultSet rs) throws SQLException {
      maxRunning = JobRows.integer(rs, "max_running");
      long q = rs.getLong("max_queued");
      maxQueued = rs.wasNull() ? null : q;
      weight = rs.getInt("weight");
      updatedAt = JobRows.instant(rs, "updated_at");
      updatedBy = rs.getString("updated_by");
      String queue = rs.getString("queue");
      if (queue != null) {
        long queued = rs.getLong("queue_max_queued");
        Long queuedOrNull = rs.wasNull() ? null : queued;
        queues.put(queue, new QueueLimits(JobRows.integer(rs, "queue_max_running"), queuedOrNull));
      }
    }

    StoredLimits limits(String project) {
      return new StoredLimits(
          project, new ProjectLimits(maxRunning, maxQueued, weight, queues), updatedAt, updatedBy);
    }
  }

  @Override
  public void put(String project, ProjectLimits limits, String updatedBy, Instant at) {
    jdbi.useTransaction(
        h -> {
          if (limits.isEmpty()) {
            h.createUpdate("DELETE FROM project_limits WHERE project = :project")
                .bind("project", project)
                .execute();
            return;
          }
          h.createUpdate(
                  "INSERT INTO project_limits AS l (project, max_running, max_queued, weight,"
                      + " updated_at, updated_by)"
                      + " VALUES (:project, :max_running, :max_queued, :weight, :at, :by)"
                      + " ON CONFLICT (project) DO UPDATE SET max_running ="
                      + " EXCLUDED.max_running, max_queued = EXCLUDED.max_queued,"
                      + " weight = EXCLUDED.weight, updated_at = EXCLUDED.updated_at,"
                      + " updated_by = EXCLUDED.updated_by")
              .bind("project", project)
              .bind("max_running", limits.maxRunning())
              .bind("max_queued", limits.maxQueued())
              .bind("weight", limits.weight())
              .bind("at", JobRows.ts(at))
              .bind("by", updatedBy)
              .execute();
          h.createUpdate("DELETE FROM project_queue_limits WHERE project = :project")
              .bind("project", project)
              .execute();
          if (limits.queues().isEmpty()) {
            return;
          }
          var batch =
              h.prepareBatch(
                  "INSERT INTO project_queue_limits (project, queue, max_running, max_queued)"
                      + " VALUES (:project, :queue, :max_running, :max_queued)");
          limits
              .queues()
              .forEach(
                  (queue, q) ->
                      batch
                          .bind("project", project)
                          .bind("queue", queue)
                          .bind("max_running", q.maxRunning())
                          .bind("max_queued", q.maxQueued())
                          .add());
          batch.execute();
        });
  }

  @Override
  public void lockAdmission(String project) {
    lock(ADMISSION_LOCK, project);
  }

  @Override
  public void lockRunning(String project) {
    lock(CLAIM_LOCK, project);
  }

  private void lock(int namespace, String project) {
    jdbi.useTransaction(
        h ->
            h.createQuery("SELECT pg_advisory_xact_lock(:ns, hashtext(:project))")
                .bind("ns", namespace)
                .bind("project", project)
                .mapToMap()
                .one());
  }

  @Override
  public long waitingJobs(String project, String queue, long cap) {
    if (queue == null) {
      return jdbi.inTransaction(
          h ->
              h.createQuery(
                      "SELECT coalesce(sum(count), 0) FROM job_status_counts"
                          + " WHERE project = :project AND status IN "
                          + WAITING)
                  .bind("project", project)
                  .mapTo(Long.class)
                  .one());
    }
    return jdbi.inTransaction(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM (SELECT 1 FROM jobs WHERE project = :project"
                        + " AND queue = :queue AND status IN "
                        + WAITING
                        + " LIMIT :cap) waiting")
                .bind("project", project)
                .bind("queue", queue)
                .bind("cap", cap)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public long runningJobs(String project, String queue) {
    return jdbi.inTransaction(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM jobs WHERE project = :project AND status IN "
                        + RUNNING
                        + (queue == null ? "" : " AND queue = :queue"))
                .bind("project", project)
                .bind("queue", queue)
                .mapTo(Long.class)
                .one());
  }

  @Override
  public Optional<RunningLoad> runningLoad(String project, String queue) {
    return jdbi.inTransaction(
        h ->
            h.createQuery(
                    "SELECT l.max_running, q.max_running AS queue_max_running,"
                        + " CASE WHEN l.max_running IS NOT NULL THEN (SELECT count(*) FROM jobs r"
                        + " WHERE r.project = l.project AND r.status IN "
                        + RUNNING
                        + ") ELSE 0 END AS running,"
                        + " CASE WHEN q.max_running IS NOT NULL THEN (SELECT count(*) FROM jobs r"
                        + " WHERE r.project = l.project AND r.queue = q.queue AND r.status IN "
                        + RUNNING
                        + ") ELSE 0 END AS queue_running"
                        + " FROM project_limits l LEFT JOIN project_queue_limits q"
                        + " ON q.project = l.project AND q.queue = :queue"
                        + " WHERE l.project = :project"
                        + " AND (l.max_running IS NOT NULL OR q.max_running IS NOT NULL)")
                .bind("project", project)
                .bind("queue", queue)
                .map(
                    (rs, ctx) ->
                        new RunningLoad(
                            JobRows.integer(rs, "max_running"),
                            rs.getLong("running"),
                            JobRows.integer(rs, "queue_max_running"),
                            rs.getLong("queue_running")))
                .findOne());
  }

  /**
   * The project's unfinished jobs by queue and status, read from {@code jobs_unfinished_queue_idx}
   * (V17) alone, as the queues overview reads them: it costs what the project has in flight.
   */
  @Override
  public ProjectUsage usage(String project, Collection<String> queues) {
    return jdbi.inTransaction(
        h -> {
          Map<String, long[]> byQueue = new HashMap<>();
          h.createQuery(
                  "SELECT queue, count(*) FILTER (WHERE status IN "
                      + RUNNING
                      + ") AS running, count(*) FILTER (WHERE status IN "
                      + WAITING
                      + ") AS waiting FROM jobs WHERE project = :project AND status IN"
                      + " ('PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING')"
                      + " GROUP BY queue")
              .bind("project", project)
              .map(
                  (rs, ctx) ->
                      byQueue.put(
                          rs.getString("queue"),
                          new long[] {rs.getLong("running"), rs.getLong("waiting")}))
              .list();
          long running = 0;
          long waiting = 0;
          for (long[] c : byQueue.values()) {
            running += c[0];
            waiting += c[1];
          }
          Map<String, Usage> perQueue = new LinkedHashMap<>();
          for (String q : queues) {
            long[] c = byQueue.getOrDefault(q, new long[2]);
            perQueue.put(q, new Usage(c[0], c[1]));
          }
          return new ProjectUsage(new Usage(running, waiting), perQueue);
        });
  }
}
