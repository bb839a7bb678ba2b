package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TaskRepository.ClaimFilter;
import io.jobplane.application.port.out.TaskRepository.LiveWorker;
import io.jobplane.application.port.out.TaskRepository.WorkerPresence;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Workers as {@link JdbiTaskRepository} sees them (table {@code workers}, V5 and V23): the presence
 * each claim writes, who is live for a queue, and the broadcast tasks bound to workers that joined
 * late or are gone.
 */
final class JdbiWorkerPresence {

  private final Jdbi jdbi;

  JdbiWorkerPresence(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void recordWorker(WorkerPresence p) {
    jdbi.useTransaction(
        h ->
            h.createUpdate(
                    "INSERT INTO workers (worker_id, hostname, queues, first_seen_at, last_seen_at,"
                        + " tasks_requested, tasks_leased, labels, types, projects)"
                        + " VALUES (:worker_id, :hostname, :queues, :seen, :seen, :requested,"
                        + " :leased, CAST(:labels AS jsonb), :types, :projects)"
                        + " ON CONFLICT (worker_id) DO UPDATE SET hostname = EXCLUDED.hostname,"
                        + " queues = EXCLUDED.queues,"
                        + " last_seen_at = GREATEST(workers.last_seen_at, EXCLUDED.last_seen_at),"
                        + " tasks_requested = EXCLUDED.tasks_requested,"
                        + " tasks_leased = EXCLUDED.tasks_leased, labels = EXCLUDED.labels,"
                        + " types = EXCLUDED.types, projects = EXCLUDED.projects")
                .bind("worker_id", p.workerId())
                .bind("hostname", p.hostname())
                .bind("queues", p.queues().toArray(String[]::new))
                .bind("labels", JobRows.labelsJson(p.identity().labels().values()))
                .bind(
                    "types",
                    p.identity().types() == null
                        ? null
                        : p.identity().types().toArray(String[]::new))
                .bind(
                    "projects",
                    p.identity().projects() == null
                        ? null
                        : p.identity().projects().stream().sorted().toArray(String[]::new))
                .bind("seen", JobRows.ts(p.seenAt()))
                .bind("requested", p.tasksRequested())
                .bind("leased", p.tasksLeased())
                .execute());
  }

  int activeWorkers(String queue, Instant since) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM workers"
                        + " WHERE queues @> ARRAY[CAST(:queue AS text)] AND last_seen_at >= :since")
                .bind("queue", queue)
                .bind("since", JobRows.ts(since))
                .mapTo(Integer.class)
                .one());
  }

  /**
   * A worker of {@code workers} is live when it claimed since {@code :since}, or holds a lease that
   * was live since then (a worker whose slots are all busy does not claim, it heartbeats).
   */
  static final String SEEN =
      "(workers.last_seen_at >= :since OR EXISTS (SELECT 1 FROM job_tasks r"
          + " WHERE r.worker_id = workers.worker_id AND r.status = 'RUNNING'"
          + " AND r.lease_expires_at >= :since))";

  /** The queued tasks bound to a worker that is not live ({@link #SEEN}). */
  private static final String LOST =
      " FROM job_tasks t WHERE t.status = 'QUEUED' AND t.bound_worker IS NOT NULL"
          + " AND NOT EXISTS (SELECT 1 FROM workers WHERE workers.worker_id = t.bound_worker"
          + " AND "
          + SEEN
          + ")";

  List<JobId> joinableBroadcasts(ClaimFilter filter, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT j.id FROM jobs j WHERE j.late_joiners AND j.status IN ('QUEUED', 'RUNNING')"
                + " AND j.desired_state = 'RUNNING' AND j.queue = ANY(:queues)"
                + " AND (j.worker_requirements IS NULL"
                + " OR webhook_labels_match(j.worker_requirements, CAST(:labels AS jsonb)))"
                + " AND NOT EXISTS (SELECT 1 FROM job_tasks t WHERE t.job_id = j.id"
                + " AND t.run_id = j.run_id AND t.bound_worker = :worker)");
    if (filter.types() != null) {
      sql.append(" AND j.type = ANY(:types)");
    }
    if (filter.projects() != null) {
      sql.append(" AND j.project = ANY(:projects)");
    }
    sql.append(" ORDER BY j.id LIMIT :limit");
    return jdbi.withHandle(
        h -> {
          Query q =
              h.createQuery(sql.toString())
                  .bind("queues", filter.queues().toArray(String[]::new))
                  .bind("labels", JobRows.labelsJson(filter.labels().values()))
                  .bind("worker", filter.workerId())
                  .bind("limit", limit);
          if (filter.types() != null) {
            q.bind("types", filter.types().toArray(String[]::new));
          }
          if (filter.projects() != null) {
            q.bind("projects", filter.projects().stream().sorted().toArray(String[]::new));
          }
          return q.map((rs, ctx) -> new JobId(rs.getObject("id", UUID.class))).list();
        });
  }

  List<JobId> jobsWithLostWorkers(Instant since, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT DISTINCT t.job_id" + LOST + " AND t.job_claimable LIMIT :limit")
                .bind("since", JobRows.ts(since))
                .bind("limit", limit)
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }

  Set<String> lostWorkers(Collection<String> names, Instant since) {
    if (names.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT n.name FROM unnest(CAST(:names AS text[])) AS n(name)"
                            + " WHERE NOT EXISTS (SELECT 1 FROM workers"
                            + " WHERE workers.worker_id = n.name AND "
                            + SEEN
                            + ")")
                    .bind("names", names.stream().distinct().toArray(String[]::new))
                    .bind("since", JobRows.ts(since))
                    .mapTo(String.class)
                    .list()));
  }

  List<LiveWorker> liveWorkers(
      String queue, String project, String type, LabelSelector selector, Instant since, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT worker_id, hostname FROM workers"
                        + " WHERE queues @> ARRAY[CAST(:queue AS text)] AND "
                        + SEEN
                        + " AND (projects IS NULL OR :project = ANY(projects))"
                        + " AND (types IS NULL OR :type = ANY(types))"
                        + " AND webhook_labels_match(CAST(:requirements AS jsonb), labels)"
                        + " ORDER BY worker_id LIMIT :limit")
                .bind("queue", queue)
                .bind("since", JobRows.ts(since))
                .bind("project", project)
                .bind("type", type)
                .bind("requirements", JdbiWebhooks.requirements(selector))
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new LiveWorker(rs.getString("worker_id"), rs.getString("hostname")))
                .list());
  }
}
