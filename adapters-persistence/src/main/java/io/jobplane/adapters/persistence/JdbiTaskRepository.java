package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link TaskRepository} on PostgreSQL (table job_tasks, V3): the task rows, and how every
 * statement of the table's other concerns reads them ({@link #COLUMNS}, {@link #task}). Every
 * method joins the transaction a {@link JdbiTransactionRunner} has open on the current thread.
 *
 * <p>The table's other concerns have their own classes: the job locks {@link JdbiJobLocks}, the
 * claim {@link JdbiTaskClaims}, worker presence {@link JdbiWorkerPresence}, queue positions {@link
 * JdbiQueuePosition}, the sweeper's reads {@link JdbiTaskSweeps}, the fences of reports {@link
 * JdbiLeaseFences}.
 */
public final class JdbiTaskRepository implements TaskRepository {

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

  JdbiTaskRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
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
