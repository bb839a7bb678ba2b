package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.domain.QueueCounts;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The queues overview in three reads, each on its own small index: unfinished jobs per queue
 * ({@code jobs_unfinished_queue_idx}, V17), queued retries still in backoff ({@code
 * job_tasks_backoff_idx}, V11, only retried tasks are in it) and workers seen recently ({@code
 * workers_last_seen_idx}, V5). None reads finished jobs, so a long job history costs nothing.
 */
public final class JdbiQueueOverviewReader implements QueueOverviewReader {

  // the status list is the index's partial predicate, so the planner may use it
  static final String JOBS =
      "SELECT project, queue,"
          + "  count(*) FILTER (WHERE status = 'QUEUED') AS queued,"
          + "  count(*) FILTER (WHERE status = 'SUSPENDED') AS suspended,"
          + "  count(*) FILTER (WHERE status IN ('RUNNING', 'STOPPING')) AS running,"
          + "  min(queued_at) FILTER (WHERE status = 'QUEUED') AS oldest_queued_at"
          + " FROM jobs"
          + " WHERE status IN ('PENDING', 'SUSPENDED', 'QUEUED', 'RUNNING', 'STOPPING')"
          + "   AND (CAST(:projects AS text[]) IS NULL OR project = ANY(CAST(:projects AS text[])))"
          + " GROUP BY project, queue"
          + " ORDER BY project, queue"
          + " LIMIT :limit";

  // jobs (not tasks) with a queued retry still waiting for its backoff, per project and queue
  static final String IN_BACKOFF =
      "SELECT j.project, t.queue, count(DISTINCT t.job_id) AS jobs"
          + " FROM job_tasks t JOIN jobs j ON j.id = t.job_id"
          + " WHERE t.status = 'QUEUED' AND t.job_claimable AND t.attempt > 1"
          + "   AND t.available_at > :now AND t.queue = ANY(CAST(:queues AS text[]))"
          + "   AND j.status = 'QUEUED'"
          + " GROUP BY j.project, t.queue";

  static final String ACTIVE_WORKERS =
      "SELECT q.name AS queue, count(*) AS workers"
          + " FROM workers w CROSS JOIN LATERAL unnest(w.queues) AS q(name)"
          + " WHERE w.last_seen_at >= :since AND q.name = ANY(CAST(:queues AS text[]))"
          + " GROUP BY q.name";

  private record JobCounts(
      String project,
      String queue,
      long queued,
      long suspended,
      long running,
      Instant oldestQueuedAt) {}

  private final Jdbi jdbi;

  public JdbiQueueOverviewReader(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public List<QueueCounts> read(Set<String> projects, Instant activeSince, Instant now, int limit) {
    return jdbi.inTransaction(h -> read(h, projects, activeSince, now, limit));
  }

  private static List<QueueCounts> read(
      Handle h, Set<String> projects, Instant activeSince, Instant now, int limit) {
    List<JobCounts> jobs =
        h.createQuery(JOBS)
            .bind("projects", projects == null ? null : projects.toArray(String[]::new))
            .bind("limit", limit)
            .map(
                (rs, ctx) ->
                    new JobCounts(
                        rs.getString("project"),
                        rs.getString("queue"),
                        rs.getLong("queued"),
                        rs.getLong("suspended"),
                        rs.getLong("running"),
                        JobRows.instant(rs, "oldest_queued_at")))
            .list();
    if (jobs.isEmpty()) {
      return List.of();
    }
    String[] queues = jobs.stream().map(JobCounts::queue).distinct().toArray(String[]::new);
    Map<String, Long> backoff = new HashMap<>();
    h.createQuery(IN_BACKOFF)
        .bind("now", JobRows.ts(now))
        .bind("queues", queues)
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getString("project") + '\0' + rs.getString("queue"), rs.getLong("jobs")))
        .forEach(e -> backoff.put(e.getKey(), e.getValue()));
    Map<String, Integer> workers = new HashMap<>();
    h.createQuery(ACTIVE_WORKERS)
        .bind("since", JobRows.ts(activeSince))
        .bind("queues", queues)
        .map((rs, ctx) -> Map.entry(rs.getString("queue"), rs.getInt("workers")))
        .forEach(e -> workers.put(e.getKey(), e.getValue()));
    return jobs.stream()
        .map(
            j ->
                new QueueCounts(
                    j.project(),
                    j.queue(),
                    new QueueCounts.WaitingJobs(
                        j.queued(),
                        backoff.getOrDefault(j.project() + '\0' + j.queue(), 0L),
                        j.suspended(),
                        j.oldestQueuedAt()),
                    j.running(),
                    workers.getOrDefault(j.queue(), 0)))
        .toList();
  }
}
