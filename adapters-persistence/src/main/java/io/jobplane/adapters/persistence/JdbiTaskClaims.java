package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.domain.JobId;
import io.jobplane.domain.RunningRoom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link TaskClaims} on PostgreSQL: which queued tasks a worker gets, in fair-share order, within
 * the running limits of their projects, locked with {@code SKIP LOCKED}.
 *
 * <p>The claim is one statement for the tasks ({@link #claimStatement}), after one tiny read of the
 * projects with a running limit: queued tasks whose backoff is over and whose job lets them be
 * claimed ({@code job_claimable}, V8: the job is QUEUED or RUNNING, desired RUNNING, and the task
 * is of its current run), in the asked queues (and types, projects), {@code FOR UPDATE OF t SKIP
 * LOCKED}, so concurrent claims take disjoint rows. Each queue is read on its own, and within it
 * each project with claimable work ({@code job_tasks_fair_claim_idx}, V24), so a claim reads about
 * as many index entries as it takes per project; the projects' heads are merged in fair-share
 * order. A claim locks up to {@code limit} tasks of each project of each queue and leases the first
 * {@code limit} of them; the others stay queued, unlocked when it commits.
 */
final class JdbiTaskClaims implements TaskClaims {

  private final Jdbi jdbi;

  JdbiTaskClaims(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The running jobs of one project in one queue the fair share counts, at most. */
  static final int USAGE_CAP = 1_000;

  /**
   * The projects of the claim that have a running limit and claimable work in its queues, each
   * locked for the rest of the transaction ({@code pg_advisory_xact_lock}), in project order so
   * that two claims over the same projects never wait for each other in a cycle. A claim waits for
   * the few milliseconds another claim of the project holds it, instead of skipping the project: a
   * skipped claim came back empty and its worker parked while work was waiting. A tiny table;
   * empty, and nothing locked, when no project of the claim has a running limit.
   */
  private static final String LIMITED_PROJECTS =
      "SELECT p.project, pg_advisory_xact_lock(:ns, hashtext(p.project))"
          + " FROM (SELECT l.project FROM (SELECT project FROM project_limits"
          + " WHERE max_running IS NOT NULL UNION SELECT project FROM project_queue_limits"
          + " WHERE max_running IS NOT NULL) l"
          + " WHERE EXISTS (SELECT 1 FROM job_tasks t WHERE t.queue = ANY(:queues)"
          + " AND t.project = l.project AND t.status = 'QUEUED' AND t.job_claimable)%s"
          // OFFSET 0 keeps the sort below the locking projection: locks are taken in this order
          + " ORDER BY l.project OFFSET 0) p";

  /**
   * The running limits of the locked projects and their running jobs, read by a statement that
   * starts after the locks are held, so it sees every job a claim that held them before started.
   */
  private static final String ROOM =
      "SELECT l.project, l.max_running,"
          + " (SELECT count(*) FROM jobs r WHERE r.project = l.project"
          + " AND r.status IN ('RUNNING', 'STOPPING')) AS running,"
          + " q.queue, q.max_running AS queue_max_running,"
          + " (SELECT count(*) FROM jobs r WHERE r.project = l.project AND r.queue = q.queue"
          + " AND r.status IN ('RUNNING', 'STOPPING')) AS queue_running"
          + " FROM project_limits l LEFT JOIN project_queue_limits q"
          + " ON q.project = l.project AND q.max_running IS NOT NULL"
          + " WHERE l.project = ANY(:limited)";

  /**
   * A claim without a type filter runs on cached generic plans, for the rest of its transaction.
   * PostgreSQL otherwise plans the candidates statement anew at every execution, about 1 ms of
   * planning for 0.2 to 0.3 ms of execution: its generic plan's estimates (629,130 rows for one,
   * from the recursive CTE and the unknown LIMIT) are far above any custom plan's, so the plan
   * cache never picks it, although it is the same index walk per queue and project, 0.24 ms with
   * 18,828 tasks queued (docs/benchmarks.md). What follows in the transaction are reads and writes
   * by key, where a generic plan is a custom one. With a type filter the custom plan stays: for a
   * rare type it starts from the jobs of that type instead of walking the queue.
   */
  private static final String GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan";

  /**
   * The claim: statement 1 ({@link #LIMITED_PROJECTS}) locks the projects of the claim that have a
   * running limit; only if there are some, statement 2 ({@link #ROOM}) reads their room; statement
   * 3 ({@link #claimStatement}) locks and orders the candidates; {@link RunningRoom} drops the
   * tasks whose job would pass a limit. Unlimited projects cost one read of an empty result and
   * take no lock. A limited project's running count is exact for the whole claim transaction: every
   * claim that could start one of its jobs holds its lock until it commits.
   */
  @Override
  public List<TaskKey> claimCandidates(ClaimFilter filter, Instant now, int limit) {
    // a queue named twice would be read twice, and a transaction does not skip rows it locked
    String[] queues = filter.queues().stream().distinct().toArray(String[]::new);
    return jdbi.inTransaction(
        h -> {
          if (filter.types() == null) {
            h.execute(GENERIC_PLANS);
          }
          Query limits =
              h.createQuery(
                      String.format(
                          LIMITED_PROJECTS,
                          filter.projects() == null ? "" : " AND l.project = ANY(:projects)"))
                  .bind("ns", JdbiProjectLimitsStore.CLAIM_LOCK)
                  .bind("queues", queues);
          if (filter.projects() != null) {
            limits.bind("projects", filter.projects().stream().sorted().toArray(String[]::new));
          }
          List<String> limited = limits.map((rs, ctx) -> rs.getString(1)).list();
          RunningRoom room = new RunningRoom();
          if (!limited.isEmpty()) {
            h.createQuery(ROOM)
                .bind("limited", limited.toArray(String[]::new))
                .map(
                    (rs, ctx) -> {
                      String project = rs.getString("project");
                      Integer max = JobRows.integer(rs, "max_running");
                      if (max != null) {
                        room.limitProject(project, max, rs.getLong("running"));
                      }
                      String queue = rs.getString("queue");
                      if (queue != null) {
                        room.limitQueue(
                            project,
                            queue,
                            rs.getInt("queue_max_running"),
                            rs.getLong("queue_running"));
                      }
                      return project;
                    })
                .list();
          }
          Query q =
              h.createQuery(claimStatement(filter))
                  .bind("now", JobRows.ts(now))
                  // a queue named twice would be read twice, and a transaction does not skip
                  // the rows it locked itself
                  .bind("queues", queues)
                  .bind("limit", limit)
                  .bind("usage_cap", USAGE_CAP)
                  .bind("limited", limited.toArray(String[]::new))
                  .bind("worker", filter.workerId())
                  .bind("labels", JobRows.labelsJson(filter.labels().values()));
          if (filter.types() != null) {
            q.bind("types", filter.types().toArray(String[]::new));
          }
          if (filter.projects() != null) {
            q.bind("projects", filter.projects().stream().sorted().toArray(String[]::new));
          }
          List<TaskKey> chosen = new ArrayList<>(limit);
          for (Candidate c : q.map(Candidate::read).list()) {
            if (chosen.size() == limit) {
              break;
            }
            if (room.admit(c.project(), c.queue(), c.key().jobId(), c.jobRuns())) {
              chosen.add(c.key());
            }
          }
          return chosen;
        });
  }

  /** A row of the claim statement: a locked task, where it stands and whether its job runs. */
  @Override
  public List<JobId> joinableBroadcasts(ClaimFilter filter, int limit) {
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

  private record Candidate(TaskKey key, String project, String queue, boolean jobRuns) {
    static Candidate read(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
        throws SQLException {
      return new Candidate(
          new TaskKey(
              new JobId(rs.getObject("job_id", UUID.class)),
              rs.getInt("run_id"),
              rs.getInt("task_index")),
          rs.getString("project"),
          rs.getString("queue"),
          rs.getBoolean("job_runs"));
    }
  }

  /**
   * The candidates of a claim in fair-share order. Per queue, the projects with claimable work are
   * found by skipping through {@code job_tasks_fair_claim_idx} (V24: one index probe per project, a
   * recursive CTE), each project's head is read in claim order (priority, then oldest job, then
   * task) and locked ({@code FOR UPDATE OF t SKIP LOCKED}, up to {@code limit} per project), and
   * the heads of all projects are merged by share: the k-th task of a project (0-based) has share
   * (running jobs of the project in the queue, counted up to {@link #USAGE_CAP}, + k) / weight, and
   * the lowest share goes first, priority and age breaking ties. So a project with a thousand
   * queued jobs and one with ten take turns, and a project that runs less than its weight's share
   * catches up. Equal shares (short jobs leave every project at 0 running) are taken in turns: each
   * claim draws the next number of the sequence {@code claim_turns} and, per queue, each project
   * owns {@code weight} consecutive turns of a round (by project name), so the project whose turn
   * it is, or comes soonest, goes first: a weighted round-robin without any row to update. Then
   * priority and age. For the projects locked for their running limit ({@code :limited}) each row
   * says whether its job already runs.
   */
  static String claimStatement(ClaimFilter filter) {
    String projects = filter.projects() == null ? "" : " AND t.project = ANY(:projects)";
    String next =
        " FROM job_tasks t WHERE t.queue = %s AND t.status = 'QUEUED' AND t.job_claimable"
            + projects;
    StringBuilder sql =
        new StringBuilder(
                "WITH RECURSIVE heads(queue, project) AS (SELECT q.name, (SELECT t.project")
            .append(String.format(next, "q.name"))
            .append(" ORDER BY t.project LIMIT 1) FROM unnest(CAST(:queues AS text[])) AS q(name)")
            .append(" UNION ALL SELECT h.queue, (SELECT t.project")
            .append(String.format(next, "h.queue"))
            .append(" AND t.project > h.project ORDER BY t.project LIMIT 1)")
            .append(" FROM heads h WHERE h.project IS NOT NULL),")
            .append(" turn AS (SELECT nextval('claim_turns') AS n),")
            .append(" weighed AS (SELECT h.queue, h.project, coalesce(l.weight, 1) AS weight,")
            .append(" h.project = ANY(CAST(:limited AS text[])) AS limited,")
            .append(" (SELECT count(*) FROM (SELECT 1 FROM jobs r WHERE r.project = h.project")
            .append(" AND r.queue = h.queue AND r.status IN ('RUNNING', 'STOPPING')")
            .append(" LIMIT :usage_cap) u) AS running")
            .append(" FROM heads h LEFT JOIN project_limits l ON l.project = h.project")
            .append(" WHERE h.project IS NOT NULL),")
            // a round of turns per queue: each project owns [first, first + weight) of it
            .append(" rounds AS (SELECT w.*, sum(w.weight) OVER (PARTITION BY w.queue) AS round,")
            .append(" sum(w.weight) OVER (PARTITION BY w.queue ORDER BY w.project) - w.weight")
            .append(" AS first FROM weighed w),")
            .append(" shares AS (SELECT r.*, CASE WHEN r.at < r.weight THEN 0")
            .append(" ELSE r.round - r.at END AS wait FROM (SELECT r.*,")
            .append(" ((turn.n - r.first) % r.round + r.round) % r.round AS at")
            .append(" FROM rounds r CROSS JOIN turn) r),")
            .append(" candidates AS (SELECT s.queue, s.project, s.weight, s.limited, s.running,")
            .append(" s.wait,")
            .append(" c.job_id, c.run_id, c.task_index, c.priority, c.job_created_at")
            .append(" FROM shares s CROSS JOIN LATERAL (SELECT t.job_id, t.run_id, t.task_index,")
            .append(" t.priority, t.job_created_at FROM job_tasks t");
    boolean jobFilter = filter.types() != null;
    if (jobFilter) {
      sql.append(" JOIN jobs j ON j.id = t.job_id");
    }
    sql.append(" WHERE t.queue = s.queue AND t.project = s.project AND t.status = 'QUEUED'")
        .append(" AND t.job_claimable AND t.available_at <= :now");
    if (jobFilter) {
      sql.append(" AND j.type = ANY(:types)");
    }
    // a task placed by a worker_selector, or bound to one worker (a broadcast), carries what
    // decides it, so the claim still reads no job row for it; an unplaced task passes both tests
    // on its NULL columns
    sql.append(" AND (t.bound_worker IS NULL OR t.bound_worker = :worker)")
        .append(" AND (t.worker_requirements IS NULL")
        .append(" OR webhook_labels_match(t.worker_requirements, CAST(:labels AS jsonb)))");
    sql.append(" ORDER BY t.priority DESC, t.job_created_at, t.job_id, t.task_index")
        .append(" LIMIT :limit FOR UPDATE OF t SKIP LOCKED) c)")
        .append(" SELECT c.job_id, c.run_id, c.task_index, c.queue, c.project,")
        .append(" coalesce(c.limited AND (SELECT j.status IN ('RUNNING', 'STOPPING')")
        .append(" FROM jobs j WHERE j.id = c.job_id), false) AS job_runs,")
        .append(" (c.running + row_number() OVER (PARTITION BY c.queue, c.project")
        .append(" ORDER BY c.priority DESC, c.job_created_at, c.job_id, c.task_index) - 1)")
        .append(" / CAST(c.weight AS float8) AS share")
        .append(", c.wait FROM candidates c")
        .append(" ORDER BY share, wait, c.priority DESC, c.job_created_at, c.job_id, c.task_index");
    return sql.toString();
  }
}
