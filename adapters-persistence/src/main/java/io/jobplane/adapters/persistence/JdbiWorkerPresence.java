package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link WorkerPresence} on PostgreSQL (table {@code workers}, V5 and V23): the presence each claim
 * writes, who is live for a queue, and who is gone.
 */
final class JdbiWorkerPresence implements WorkerPresence {

  private final Jdbi jdbi;

  JdbiWorkerPresence(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordWorker(Sighting p) {
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

  @Override
  public int activeWorkers(String queue, Instant since) {
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
  static final String LOST =
      " FROM job_tasks t WHERE t.status = 'QUEUED' AND t.bound_worker IS NOT NULL"
          + " AND NOT EXISTS (SELECT 1 FROM workers WHERE workers.worker_id = t.bound_worker"
          + " AND "
          + SEEN
          + ")";

  @Override
  public Set<String> lostWorkers(Collection<String> names, Instant since) {
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

  @Override
  public List<LiveWorker> liveWorkers(
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
