package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.RunningRoom;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.query.LabelSelector;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link TaskRepository} and {@link LeaseVerifier} on PostgreSQL (table job_tasks, V3). Every
 * method joins the transaction a {@link JdbiTransactionRunner} has open on the current thread.
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
public final class JdbiTaskRepository implements TaskRepository, LeaseVerifier {

  /** The columns a {@link TaskState} is read from. */
  private static final List<String> COLUMN_NAMES =
      List.of(
          "job_id",
          "run_id",
          "task_index",
          "status",
          "attempt",
          "epoch",
          "lease_token_hash",
          "worker_id",
          "hostname",
          "lease_seconds",
          "lease_expires_at",
          "available_at",
          "started_at",
          "finished_at",
          "progress",
          "items_total",
          "items_completed",
          "items_failed",
          "error_reason",
          "error_message",
          "exit_code",
          "stop_deadline",
          "output",
          "changed",
          "bound_worker");

  static final String COLUMNS =
      COLUMN_NAMES.stream().map(c -> "t." + c).collect(Collectors.joining(", "));

  private static final String INSERT =
      "INSERT INTO job_tasks (job_id, run_id, task_index, queue, priority, job_created_at,"
          + " status, attempt, epoch, lease_token_hash, worker_id, hostname, lease_seconds,"
          + " lease_expires_at,"
          + " available_at, started_at, finished_at, progress, items_total, items_completed,"
          + " items_failed, error_reason, error_message, exit_code, stop_deadline, output, changed,"
          + " bound_worker, worker_requirements)"
          + " SELECT :job_id, :run_id, :task_index, j.queue, j.priority, j.created_at, :status,"
          + " :attempt, :epoch, :lease_token_hash, :worker_id, :hostname, :lease_seconds,"
          + " :lease_expires_at,"
          + " :available_at, :started_at, :finished_at, :progress, :items_total,"
          + " :items_completed, :items_failed, :error_reason, :error_message, :exit_code,"
          + " :stop_deadline, CAST(:output AS jsonb), :changed, :bound_worker,"
          + " j.worker_requirements FROM jobs j WHERE j.id = :job_id";

  private static final String UPDATE =
      "UPDATE job_tasks SET status = :status, attempt = :attempt, epoch = :epoch,"
          + " lease_token_hash = :lease_token_hash,"
          + " worker_id = :worker_id, hostname = :hostname, lease_seconds = :lease_seconds,"
          + " lease_expires_at = :lease_expires_at, available_at = :available_at,"
          + " started_at = :started_at, finished_at = :finished_at, progress = :progress,"
          + " items_total = :items_total, items_completed = :items_completed,"
          + " items_failed = :items_failed, error_reason = :error_reason,"
          + " error_message = :error_message, exit_code = :exit_code,"
          + " stop_deadline = :stop_deadline, output = CAST(:output AS jsonb), changed = :changed"
          + " WHERE job_id = :job_id AND run_id = :run_id AND task_index = :task_index";

  static final RowMapper<TaskState> TASK = (rs, ctx) -> task(rs, "");

  /**
   * The task columns of alias {@code t} renamed to {@code prefix + column}, for statements whose
   * other columns share names with them (read back with {@link #task(ResultSet, String)}).
   */
  static String columnsAs(String prefix) {
    return COLUMN_NAMES.stream()
        .map(c -> "t." + c + " AS " + prefix + c)
        .collect(Collectors.joining(", "));
  }

  private final Jdbi jdbi;
  private final Clock clock;

  public JdbiTaskRepository(Jdbi jdbi, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void insert(List<TaskState> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          PreparedBatch batch = h.prepareBatch(INSERT);
          tasks.forEach(t -> bind(batch, t).add());
          int[] counts = batch.execute();
          for (int c : counts) {
            if (c != 1) {
              throw DomainException.notFound("job " + tasks.get(0).jobId() + " not found");
            }
          }
        });
  }

  @Override
  public void update(List<TaskState> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    jdbi.useTransaction(
        h -> {
          PreparedBatch batch = h.prepareBatch(UPDATE);
          tasks.forEach(t -> bind(batch, t).add());
          for (int c : batch.execute()) {
            if (c != 1) {
              throw DomainException.notFound("task of job " + tasks.get(0).jobId() + " not found");
            }
          }
        });
  }

  @Override
  public List<TaskState> forRun(JobId jobId, int runId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM job_tasks t WHERE t.job_id = :job_id AND t.run_id = :run_id"
                        + " ORDER BY t.task_index")
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .map(TASK)
                .list());
  }

  @Override
  public List<TaskState> forRuns(Map<JobId, Integer> runs) {
    if (runs.isEmpty()) {
      return List.of();
    }
    List<Map.Entry<JobId, Integer>> keys = List.copyOf(runs.entrySet());
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM job_tasks t WHERE (t.job_id, t.run_id) IN (SELECT * FROM"
                        + " unnest(CAST(:job_ids AS uuid[]), CAST(:run_ids AS integer[])))"
                        + " ORDER BY t.job_id, t.task_index")
                .bind("job_ids", keys.stream().map(e -> e.getKey().value()).toArray(UUID[]::new))
                .bind("run_ids", keys.stream().map(Map.Entry::getValue).toArray(Integer[]::new))
                .map(TASK)
                .list());
  }

  @Override
  public long lastEpoch(JobId jobId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COALESCE(MAX(epoch), 0) FROM job_tasks WHERE job_id = :job_id")
                .bind("job_id", jobId.value())
                .mapTo(Long.class)
                .one());
  }

  @Override
  public Optional<JobSnapshot> lockJob(JobId id, boolean skipLocked) {
    return jdbi.inTransaction(h -> JobDao.lock(h, id, skipLocked));
  }

  @Override
  public List<JobSnapshot> lockJobs(Collection<JobId> ids, boolean skipLocked) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.inTransaction(h -> JobDao.lock(h, ids, skipLocked));
  }

  /**
   * One round trip, two statements: the jobs locked in id order (as {@link JobDao#lock(Handle,
   * Collection, boolean)} does), then the tasks of their current runs. Not one statement joining
   * both: a statement reads with the snapshot it started with, so tasks read in the statement that
   * waited for a job's lock would miss what the lock's previous holder committed; the second
   * statement starts after the lock is held and sees all of it.
   */
  @Override
  public List<LockedRun> lockRuns(Collection<JobId> ids, boolean skipLocked) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String sql =
        "SELECT "
            + JobDao.columns()
            + " FROM jobs WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"
            + (skipLocked ? " SKIP LOCKED" : "")
            + "; SELECT "
            + COLUMNS
            + " FROM job_tasks t JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id"
            + " WHERE j.id = ANY(:ids) ORDER BY t.job_id, t.task_index";
    return jdbi.inTransaction(
        h ->
            h.createQuery(sql)
                .bind("ids", ids.stream().map(JobId::value).distinct().toArray(UUID[]::new))
                .scanResultSet(
                    (results, ctx) -> {
                      Map<JobId, JobSnapshot> jobs = new LinkedHashMap<>();
                      try (ResultSet rs = results.get()) {
                        while (rs.next()) {
                          JobSnapshot job = JobRows.JOB.map(rs, ctx);
                          jobs.put(job.id(), job);
                        }
                      }
                      Map<JobId, List<TaskState>> tasksOf = new HashMap<>();
                      if (ctx.getStatement().getMoreResults()) {
                        try (ResultSet rs = ctx.getStatement().getResultSet()) {
                          while (rs.next()) {
                            TaskState t = task(rs, "");
                            // tasks of jobs skipped as busy are read too, and dropped here
                            if (jobs.containsKey(t.jobId())) {
                              tasksOf.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t);
                            }
                          }
                        }
                      }
                      List<LockedRun> runs = new ArrayList<>(jobs.size());
                      jobs.forEach(
                          (id, job) ->
                              runs.add(new LockedRun(job, tasksOf.getOrDefault(id, List.of()))));
                      return runs;
                    }));
  }

  /** The running jobs of one project in one queue the fair share counts, at most. */
  static final int USAGE_CAP = 1_000;

  /**
   * The projects of the claim that have a running limit and claimable work in its queues, each with
   * whether this transaction got its claim lock ({@code pg_try_advisory_xact_lock}: a project
   * another claim holds is skipped, as {@code SKIP LOCKED} skips its rows). A tiny table; empty,
   * and nothing locked, when no project of the claim has a running limit.
   */
  private static final String LIMITED_PROJECTS =
      "SELECT p.project, pg_try_advisory_xact_lock(:ns, hashtext(p.project)) AS locked"
          + " FROM (SELECT project FROM project_limits WHERE max_running IS NOT NULL"
          + " UNION SELECT project FROM project_queue_limits WHERE max_running IS NOT NULL) p"
          + " WHERE EXISTS (SELECT 1 FROM job_tasks t WHERE t.queue = ANY(:queues)"
          + " AND t.project = p.project AND t.status = 'QUEUED' AND t.job_claimable)";

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
   * The claim: statement 1 ({@link #LIMITED_PROJECTS}) try-locks the projects of the claim that
   * have a running limit; only if there are some, statement 2 ({@link #ROOM}) reads their room;
   * statement 3 ({@link #claimStatement}) locks and orders the candidates; {@link RunningRoom}
   * drops the tasks whose job would pass a limit. Unlimited projects cost one read of an empty
   * result and take no lock. A limited project's running count is exact for the whole claim
   * transaction: every claim that could start one of its jobs holds its lock until it commits.
   */
  @Override
  public List<TaskKey> claimCandidates(ClaimFilter filter, Instant now, int limit) {
    // a queue named twice would be read twice, and a transaction does not skip rows it locked
    String[] queues = filter.queues().stream().distinct().toArray(String[]::new);
    return jdbi.inTransaction(
        h -> {
          List<String> limited = new ArrayList<>();
          List<String> blocked = new ArrayList<>();
          Query limits =
              h.createQuery(
                      LIMITED_PROJECTS
                          + (filter.projects() == null ? "" : " AND p.project = ANY(:projects)"))
                  .bind("ns", JdbiProjectLimitsStore.CLAIM_LOCK)
                  .bind("queues", queues);
          if (filter.projects() != null) {
            limits.bind("projects", filter.projects().stream().sorted().toArray(String[]::new));
          }
          limits
              .map((rs, ctx) -> (rs.getBoolean("locked") ? limited : blocked).add(rs.getString(1)))
              .list();
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
                  .bind("blocked", blocked.toArray(String[]::new))
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
   * priority and age. Projects another claim holds for their running limit ({@code :blocked}) are
   * left out; for the locked ones ({@code :limited}) each row says whether its job already runs.
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
            .append(" WHERE h.project IS NOT NULL")
            .append(" AND NOT h.project = ANY(CAST(:blocked AS text[]))),")
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

  @Override
  public List<JobId> jobsToSweep(Instant now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT job_id FROM ("
                        + " SELECT t.job_id FROM job_tasks t"
                        + "  WHERE t.status = 'RUNNING' AND t.lease_expires_at <= :now"
                        + " UNION SELECT t.job_id FROM job_tasks t"
                        + "  WHERE t.status = 'RUNNING' AND t.stop_deadline IS NOT NULL"
                        + "  AND t.stop_deadline <= :now"
                        + " UNION SELECT j.id FROM jobs j"
                        + "  WHERE j.status IN ('RUNNING', 'STOPPING') AND j.runtime = 'WORKER'"
                        + "  AND j.timeout_seconds IS NOT NULL"
                        + "  AND j.started_at + make_interval(secs => j.timeout_seconds) <= :now"
                        + ") due LIMIT :limit")
                .bind("now", JobRows.ts(now))
                .bind("limit", limit)
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }

  @Override
  public void recordWorker(WorkerPresence p) {
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
  private static final String LOST =
      " FROM job_tasks t WHERE t.status = 'QUEUED' AND t.bound_worker IS NOT NULL"
          + " AND NOT EXISTS (SELECT 1 FROM workers WHERE workers.worker_id = t.bound_worker"
          + " AND "
          + SEEN
          + ")";

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

  @Override
  public List<JobId> jobsWithLostWorkers(Instant since, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT DISTINCT t.job_id" + LOST + " AND t.job_claimable LIMIT :limit")
                .bind("since", JobRows.ts(since))
                .bind("limit", limit)
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }

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

  private static final String AHEAD =
      "SELECT 1 FROM job_tasks t WHERE t.status = 'QUEUED' AND t.job_claimable"
          + " AND t.queue = me.queue AND t.available_at <= :now AND ";

  /**
   * {@link #tasksAhead}'s statement (named parameters job_id, run_id, now, cap); public so that
   * bench/queue-position.sh can EXPLAIN exactly this text. It reads the partial index {@code
   * job_tasks_position_idx} (V8: queued tasks whose job lets them be claimed, in claim order, with
   * {@code available_at}): the claim keys of the run's queued task, then two range scans of that
   * queue's part of the index in one {@code UNION ALL} under one {@code LIMIT}: higher priority
   * first, and the same priority with an older (job_created_at, job_id) only while the first gave
   * fewer than {@code cap} rows. The keys come from the outer row, so they are index conditions
   * whatever plan is cached (keys from a CTE made the planner scan the queue from its head), and
   * the ORDER BY in index order leaves an index scan the only cheap plan. At most {@code cap} index
   * entries are read, and no table rows once the visibility map is current.
   */
  public static final String TASKS_AHEAD =
      "SELECT (SELECT count(*) FROM (("
          + AHEAD
          + "t.priority > me.priority"
          + " ORDER BY t.priority DESC, t.job_created_at, t.job_id)"
          + " UNION ALL ("
          + AHEAD
          + "t.priority = me.priority"
          + " AND (t.job_created_at, t.job_id) < (me.job_created_at, me.job_id)"
          + " ORDER BY t.job_created_at, t.job_id)"
          + " LIMIT :cap) counted)"
          + " FROM job_tasks me"
          + " WHERE me.job_id = :job_id AND me.run_id = :run_id AND me.status = 'QUEUED' LIMIT 1";

  @Override
  public long tasksAhead(JobId jobId, int runId, Instant now, long cap) {
    return jdbi.withHandle(
        h ->
            h.createQuery(TASKS_AHEAD)
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("now", JobRows.ts(now))
                .bind("cap", cap)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  @Override
  public Optional<LeasedTask> lockTask(JobId jobId, int taskIndex) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT j.project, "
                        + COLUMNS
                        + " FROM job_tasks t JOIN jobs j"
                        + " ON j.id = t.job_id AND j.run_id = t.run_id"
                        + " WHERE t.job_id = :job_id AND t.task_index = :task_index"
                        // inside the caller's transaction the lease cannot be revoked
                        // before the report it fences is stored
                        + " FOR SHARE OF t")
                .bind("job_id", jobId.value())
                .bind("task_index", taskIndex)
                .map((rs, ctx) -> new LeasedTask(rs.getString("project"), task(rs, "")))
                .findOne());
  }

  @Override
  public VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId) {
    if (taskIndex < 0 || taskIndex >= JobDefinition.MAX_PARALLELISM) {
      throw DomainException.invalid(
          "task_index", "must be between 0 and " + (JobDefinition.MAX_PARALLELISM - 1));
    }
    Map<String, Object> job =
        jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT run_id, status FROM jobs WHERE id = :id"
                                // the run cannot end before the report it fences is stored
                                + " FOR SHARE")
                        .bind("id", jobId.value())
                        .mapToMap()
                        .findOne())
            .orElseThrow(() -> DomainException.notFound("job " + jobId + " not found"));
    int current = ((Number) job.get("run_id")).intValue();
    JobStatus status = JobStatus.valueOf((String) job.get("status"));
    if (current != runId || status.isTerminal()) {
      throw DomainException.staleLease(
          "stale run credential: run "
              + runId
              + " of job "
              + jobId
              + " is over (current run "
              + current
              + ", "
              + status
              + ")");
    }
    return new VerifiedLease(jobId, taskIndex, runId, 0);
  }

  private static PreparedBatch bind(PreparedBatch b, TaskState t) {
    return b.bind("job_id", t.jobId().value())
        .bind("run_id", t.runId())
        .bind("task_index", t.index())
        .bind("status", t.status().name())
        .bind("attempt", t.attempt())
        .bind("epoch", t.epoch())
        .bind("lease_token_hash", t.leaseTokenHash())
        .bind("worker_id", t.workerId())
        .bind("hostname", t.hostname())
        .bind("lease_seconds", t.leaseSeconds())
        .bind("lease_expires_at", JobRows.ts(t.leaseExpiresAt()))
        .bind("available_at", JobRows.ts(t.availableAt()))
        .bind("started_at", JobRows.ts(t.startedAt()))
        .bind("finished_at", JobRows.ts(t.finishedAt()))
        .bind("progress", t.progress())
        .bind("items_total", t.items() == null ? null : t.items().total())
        .bind("items_completed", t.items() == null ? null : t.items().completed())
        .bind("items_failed", t.items() == null ? null : t.items().failed())
        .bind("error_reason", t.error() == null ? null : t.error().reason())
        .bind("error_message", t.error() == null ? null : t.error().message())
        .bind("exit_code", t.exitCode())
        .bind("stop_deadline", JobRows.ts(t.stopDeadline()))
        .bind("output", t.output())
        .bind("changed", t.changed())
        .bind("bound_worker", t.boundWorker());
  }

  /** The task of the current row, its columns named {@code prefix + column}. */
  static TaskState task(ResultSet rs, String prefix) throws SQLException {
    String errorReason = rs.getString(prefix + "error_reason");
    long itemsTotal = rs.getLong(prefix + "items_total");
    boolean noItems = rs.wasNull();
    boolean changed = rs.getBoolean(prefix + "changed");
    Boolean changedOrNull = rs.wasNull() ? null : changed;
    return TaskState.builder()
        .jobId(new JobId(rs.getObject(prefix + "job_id", UUID.class)))
        .runId(rs.getInt(prefix + "run_id"))
        .index(rs.getInt(prefix + "task_index"))
        .status(TaskStatus.valueOf(rs.getString(prefix + "status")))
        .attempt(rs.getInt(prefix + "attempt"))
        .epoch(rs.getLong(prefix + "epoch"))
        .leaseTokenHash(rs.getString(prefix + "lease_token_hash"))
        .workerId(rs.getString(prefix + "worker_id"))
        .hostname(rs.getString(prefix + "hostname"))
        .leaseSeconds(rs.getInt(prefix + "lease_seconds"))
        .leaseExpiresAt(JobRows.instant(rs, prefix + "lease_expires_at"))
        .availableAt(JobRows.instant(rs, prefix + "available_at"))
        .startedAt(JobRows.instant(rs, prefix + "started_at"))
        .finishedAt(JobRows.instant(rs, prefix + "finished_at"))
        .progress(JobRows.integer(rs, prefix + "progress"))
        .items(
            noItems
                ? null
                : new TaskItems(
                    itemsTotal,
                    rs.getLong(prefix + "items_completed"),
                    rs.getLong(prefix + "items_failed")))
        .error(
            errorReason == null
                ? null
                : new JobError(errorReason, rs.getString(prefix + "error_message")))
        .exitCode(JobRows.integer(rs, prefix + "exit_code"))
        .stopDeadline(JobRows.instant(rs, prefix + "stop_deadline"))
        .output(rs.getString(prefix + "output"))
        .changed(changedOrNull)
        .boundWorker(rs.getString(prefix + "bound_worker"))
        .build();
  }
}
