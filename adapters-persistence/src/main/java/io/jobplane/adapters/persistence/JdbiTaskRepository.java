package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
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

/**
 * {@link TaskRepository} and {@link LeaseVerifier} on PostgreSQL (table job_tasks, V3). Every
 * method joins the transaction a {@link JdbiTransactionRunner} has open on the current thread.
 *
 * <p>By concern: the claim is {@link JdbiTaskClaims}, worker presence {@link JdbiWorkerPresence},
 * queue positions {@link JdbiQueuePosition}, the fences of reports {@link JdbiLeaseFences}; this
 * class keeps the task rows, the job locks and the sweep.
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
  private final JdbiTaskClaims claims;
  private final JdbiWorkerPresence presence;
  private final JdbiQueuePosition positions;
  private final JdbiLeaseFences fences;

  public JdbiTaskRepository(Jdbi jdbi, Clock clock) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.claims = new JdbiTaskClaims(jdbi);
    this.presence = new JdbiWorkerPresence(jdbi);
    this.positions = new JdbiQueuePosition(jdbi);
    this.fences = new JdbiLeaseFences(jdbi);
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

  @Override
  public List<TaskKey> claimCandidates(ClaimFilter filter, Instant now, int limit) {
    return claims.claimCandidates(filter, now, limit);
  }

  @Override
  public void recordWorker(WorkerPresence p) {
    presence.recordWorker(p);
  }

  @Override
  public int activeWorkers(String queue, Instant since) {
    return presence.activeWorkers(queue, since);
  }

  @Override
  public List<JobId> joinableBroadcasts(ClaimFilter filter, int limit) {
    return presence.joinableBroadcasts(filter, limit);
  }

  @Override
  public List<JobId> jobsWithLostWorkers(Instant since, int limit) {
    return presence.jobsWithLostWorkers(since, limit);
  }

  @Override
  public Set<String> lostWorkers(Collection<String> names, Instant since) {
    return presence.lostWorkers(names, since);
  }

  @Override
  public List<LiveWorker> liveWorkers(
      String queue, String project, String type, LabelSelector selector, Instant since, int limit) {
    return presence.liveWorkers(queue, project, type, selector, since, limit);
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
  public long tasksAhead(JobId jobId, int runId, Instant now, long cap) {
    return positions.tasksAhead(jobId, runId, now, cap);
  }

  @Override
  public Optional<LeasedTask> lockTask(JobId jobId, int taskIndex) {
    return fences.lockTask(jobId, taskIndex);
  }

  @Override
  public VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId) {
    return fences.requireCurrentRun(jobId, taskIndex, runId);
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
