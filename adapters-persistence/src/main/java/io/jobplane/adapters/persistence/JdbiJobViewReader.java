package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.telemetry.ProgressSample;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * {@link JobViewReader} on PostgreSQL: one statement returns the job, the tasks of its current run
 * and, while it is unfinished, its newest progress samples and its queue's active workers.
 *
 * <p>The three parts have different columns and counts, so they come as rows of their own: the job
 * row ({@code j}), one row per task ({@code t}, columns {@code t_*}) and one per sample ({@code s},
 * columns {@code s_*}), stacked by {@code FULL JOIN ... ON false}, which pairs no rows and so keeps
 * every row of each part once, the other parts' columns NULL. Unlike a {@code LEFT JOIN} of tasks
 * to the job, the job's large columns (input, pod template) are sent once, not once per task; and
 * every column keeps its type, so the mappers of the separate reads read these rows too.
 */
public final class JdbiJobViewReader implements JobViewReader {

  private static final String TASK = "t_";

  /**
   * {@code j} is referenced three times and so evaluated once; the job row comes last (NULLs sort
   * last), tasks by index before it, then samples in the order {@link
   * JdbiTelemetryRepository#progress} gives them.
   */
  private static final String SQL =
      "WITH j AS ("
          + " SELECT "
          + JobDao.columns()
          + ", CASE WHEN status <> ALL(:terminal) THEN (SELECT count(*) FROM workers w"
          + "   WHERE w.queues @> ARRAY[jobs.queue] AND w.last_seen_at >= :active_since)"
          + "  END AS active_workers"
          + " FROM jobs WHERE id = :id),"
          + " t AS ("
          + " SELECT "
          + JdbiTaskRepository.columnsAs(TASK)
          + " FROM job_tasks t JOIN j ON t.job_id = j.id AND t.run_id = j.run_id),"
          + " s AS ("
          + " SELECT task_index AS s_task_index, sampled_at AS s_sampled_at,"
          + " progress AS s_progress, id AS s_id FROM ("
          + "  SELECT s.task_index, s.sampled_at, s.progress, s.id,"
          + "  row_number() OVER (PARTITION BY s.task_index ORDER BY s.id DESC) AS n"
          + "  FROM job_progress_samples s JOIN j ON s.job_id = j.id AND s.run_id = j.run_id"
          + "  WHERE j.status <> ALL(:terminal)) newest"
          + " WHERE n <= :per_task)"
          + " SELECT * FROM j FULL JOIN t ON false FULL JOIN s ON false"
          + " ORDER BY t.t_task_index, s.s_task_index, s.s_id";

  private static final String[] TERMINAL =
      Arrays.stream(JobStatus.values())
          .filter(JobStatus::isTerminal)
          .map(JobStatus::name)
          .toArray(String[]::new);

  private final Jdbi jdbi;

  public JdbiJobViewReader(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Optional<JobWithRun> read(JobId id, int samplesPerTask, Instant activeSince) {
    Parts parts =
        jdbi.withHandle(
            h ->
                h.createQuery(SQL)
                    .bind("id", id.value())
                    .bind("terminal", TERMINAL)
                    .bind("active_since", JobRows.ts(activeSince))
                    .bind("per_task", samplesPerTask)
                    .reduceResultSet(new Parts(), Parts::add));
    return Optional.ofNullable(parts.job)
        .map(job -> new JobWithRun(job, parts.tasks, parts.progress, parts.activeWorkers));
  }

  /** The rows of one answer, sorted into their parts. */
  private static final class Parts {
    JobSnapshot job;
    int activeWorkers;
    final List<TaskState> tasks = new ArrayList<>();
    final List<ProgressSample> progress = new ArrayList<>();

    Parts add(ResultSet rs, StatementContext ctx) throws SQLException {
      if (rs.getObject(TASK + "job_id") != null) {
        tasks.add(JdbiTaskRepository.task(rs, TASK));
      } else if (rs.getObject("s_id") != null) {
        progress.add(
            new ProgressSample(
                JobRows.instant(rs, "s_sampled_at"),
                rs.getInt("s_task_index"),
                rs.getDouble("s_progress")));
      } else {
        job = JobRows.JOB.map(rs, ctx);
        activeWorkers = rs.getInt("active_workers"); // NULL (not counted) reads as 0
      }
      return this;
    }
  }
}
