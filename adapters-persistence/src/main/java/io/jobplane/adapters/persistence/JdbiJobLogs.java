package io.jobplane.adapters.persistence;

import io.jobplane.domain.JobId;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Job logs (table {@code job_logs}): appended in batches and trimmed to the retention limit in the
 * same transaction; read forward from an id, as a tail, or settled only (written by transactions
 * older than every running one, so a follower never skips a row committed late).
 */
final class JdbiJobLogs {

  private final Jdbi jdbi;

  JdbiJobLogs(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void append(JobId jobId, int runId, List<LogLine> lines) {
    jdbi.useTransaction(
        h -> {
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO job_logs (job_id, run_id, task_index, logged_at, level, stream,"
                      + " operator_id, message) VALUES (:job_id, :run_id, :task_index,"
                      + " :logged_at, :level, :stream, :operator_id, :message)");
          for (LogLine l : lines) {
            batch
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("task_index", l.taskIndex())
                .bind("logged_at", JobRows.ts(l.timestamp()))
                .bind("level", l.level().name())
                .bind("stream", l.stream().name())
                .bind("operator_id", l.operatorId())
                .bind("message", l.message())
                .add();
          }
          batch.execute();
          TelemetryRows.trim(
              h, "job_logs", jobId, Math.max(Telemetry.MAX_LOG_LINES, Telemetry.LOG_TAIL_LINES));
        });
  }

  List<Stored<LogLine>> read(JobId jobId, LogFilter f) {
    return readLogs(jobId, f, f.afterId(), false, "id", f.limit() + 1);
  }

  List<Stored<LogLine>> last(JobId jobId, LogFilter f, int lines) {
    List<Stored<LogLine>> newestFirst = readLogs(jobId, f, 0, false, "id DESC", lines);
    List<Stored<LogLine>> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  List<Stored<LogLine>> settled(JobId jobId, LogFilter f) {
    return readLogs(jobId, f, f.afterId(), true, "id", f.limit());
  }

  long newestId(JobId jobId, boolean settledOnly) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT coalesce((SELECT id FROM job_logs WHERE job_id = :job_id"
                        + (settledOnly ? " AND " + SETTLED_LOG : "")
                        + " ORDER BY id DESC LIMIT 1), 0)")
                .bind("job_id", jobId.value())
                .mapTo(Long.class)
                .one());
  }

  /** Written by a transaction older than every running one (or before writers were recorded). */
  private static final String SETTLED_LOG =
      "(writer_xid IS NULL OR writer_xid < pg_snapshot_xmin(pg_current_snapshot()))";

  private List<Stored<LogLine>> readLogs(
      JobId jobId, LogFilter f, long afterId, boolean settledOnly, String order, int limit) {
    WhereClause w = new WhereClause();
    w.add("job_id = " + w.bind(jobId.value()));
    w.add("id > " + w.bind(afterId));
    if (settledOnly) {
      w.add(SETTLED_LOG);
    }
    w.addIfSet("level =", JobRows.name(f.level()));
    w.addIfSet("task_index =", f.taskIndex());
    w.addIfSet("operator_id =", f.operatorId());
    w.addIfSet("logged_at >=", JobRows.ts(f.since()));
    w.addIfSet("logged_at <", JobRows.ts(f.until()));
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, run_id, task_index, logged_at, level, stream, operator_id, message"
                        + " FROM job_logs WHERE "
                        + w.sql()
                        // order is one of the constants above, never client text
                        + " ORDER BY "
                        + order
                        + " LIMIT :limit")
                .bindMap(w.params())
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new Stored<>(
                            rs.getLong("id"),
                            rs.getInt("run_id"),
                            new LogLine(
                                JobRows.instant(rs, "logged_at"),
                                LogLevel.valueOf(rs.getString("level")),
                                LogStream.valueOf(rs.getString("stream")),
                                rs.getString("message"),
                                rs.getString("operator_id"),
                                rs.getInt("task_index"))))
                .list());
  }
}
