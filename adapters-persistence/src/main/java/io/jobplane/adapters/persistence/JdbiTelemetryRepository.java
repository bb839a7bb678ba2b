package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link TelemetryRepository} on PostgreSQL (tables of V4__create_telemetry.sql). Every value is
 * bound; the only SQL assembled at runtime is the choice among fixed predicates. Appends trim the
 * job's oldest rows beyond the retention limit in the same transaction.
 */
public final class JdbiTelemetryRepository implements TelemetryRepository {

  private final Jdbi jdbi;
  private final JdbiJobLogs logs;
  private final JdbiCheckpoints checkpoints;

  public JdbiTelemetryRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    this.logs = new JdbiJobLogs(jdbi);
    this.checkpoints = new JdbiCheckpoints(jdbi);
  }

  // ----- writes ----------------------------------------------------------------------------------

  @Override
  public void appendLogs(JobId jobId, int runId, List<LogLine> lines) {
    logs.append(jobId, runId, lines);
  }

  @Override
  public void saveCheckpoint(JobId jobId, int runId, Checkpoint c) {
    checkpoints.save(jobId, runId, c);
  }

  @Override
  public Page<Checkpoint> checkpoints(JobId jobId, Boolean completed, int limit, int offset) {
    return checkpoints.page(jobId, completed, limit, offset);
  }

  @Override
  public Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId) {
    return checkpoints.find(jobId, checkpointId);
  }

  @Override
  public Map<JobId, Checkpoint> checkpoints(Map<JobId, String> checkpointIds) {
    return checkpoints.find(checkpointIds);
  }

  @Override
  public List<Stored<LogLine>> logs(JobId jobId, LogFilter f) {
    return logs.read(jobId, f);
  }

  @Override
  public List<Stored<LogLine>> lastLogs(JobId jobId, LogFilter f, int lines) {
    return logs.last(jobId, f, lines);
  }

  @Override
  public List<Stored<LogLine>> settledLogs(JobId jobId, LogFilter f) {
    return logs.settled(jobId, f);
  }

  @Override
  public long newestLogId(JobId jobId, boolean settledOnly) {
    return logs.newestId(jobId, settledOnly);
  }

  @Override
  public void appendErrors(JobId jobId, int runId, List<JobErrorEntry> errors) {
    jdbi.useTransaction(
        h -> {
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO job_errors (job_id, run_id, task_index, occurred_at, level,"
                      + " operator_id, message, details, record) VALUES (:job_id, :run_id,"
                      + " :task_index, :occurred_at, :level, :operator_id, :message, :details,"
                      + " :record)");
          for (JobErrorEntry e : errors) {
            batch
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("task_index", e.taskIndex())
                .bind("occurred_at", JobRows.ts(e.timestamp()))
                .bind("level", e.level().name())
                .bind("operator_id", e.operatorId())
                .bind("message", e.message())
                .bind("details", e.details())
                .bind("record", e.record())
                .add();
          }
          batch.execute();
          TelemetryRows.trim(h, "job_errors", jobId, Telemetry.MAX_ERRORS);
        });
  }

  @Override
  public void appendOutput(JobId jobId, int runId, List<OutputRecord> records) {
    jdbi.useTransaction(
        h -> {
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO job_output_records (job_id, run_id, task_index, emitted_at,"
                      + " operator_id, record) VALUES (:job_id, :run_id, :task_index,"
                      + " :emitted_at, :operator_id, :record)");
          for (OutputRecord r : records) {
            batch
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("task_index", r.taskIndex())
                .bind("emitted_at", JobRows.ts(r.timestamp()))
                .bind("operator_id", r.operatorId())
                .bind("record", r.recordJson())
                .add();
          }
          batch.execute();
          TelemetryRows.trim(h, "job_output_records", jobId, Telemetry.MAX_OUTPUT_RECORDS);
        });
  }

  @Override
  public void saveMetrics(JobId jobId, int runId, int taskIndex, MetricsSnapshot snapshot) {
    jdbi.useTransaction(
        h -> {
          // only the latest run's metrics are ever read; earlier runs' snapshots go
          h.createUpdate("DELETE FROM job_metrics WHERE job_id = :job_id AND run_id < :run_id")
              .bind("job_id", jobId.value())
              .bind("run_id", runId)
              .execute();
          h.createUpdate(
                  "INSERT INTO job_metrics (job_id, run_id, task_index, snapshot)"
                      + " VALUES (:job_id, :run_id, :task_index, CAST(:snapshot AS jsonb))"
                      + " ON CONFLICT (job_id, run_id, task_index)"
                      + " DO UPDATE SET snapshot = EXCLUDED.snapshot")
              .bind("job_id", jobId.value())
              .bind("run_id", runId)
              .bind("task_index", taskIndex)
              .bind("snapshot", TelemetryRows.json(snapshot))
              .execute();
        });
  }

  @Override
  public void appendProgress(JobId jobId, int runId, ProgressSample sample) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate(
                  "INSERT INTO job_progress_samples (job_id, run_id, task_index, sampled_at,"
                      + " progress) VALUES (:job_id, :run_id, :task_index, :at, :progress)")
              .bind("job_id", jobId.value())
              .bind("run_id", runId)
              .bind("task_index", sample.taskIndex())
              .bind("at", JobRows.ts(sample.at()))
              .bind("progress", sample.progress())
              .execute();
          h.createUpdate(
                  "DELETE FROM job_progress_samples WHERE job_id = :job_id AND run_id = :run_id"
                      + " AND id <= (SELECT id FROM job_progress_samples WHERE job_id = :job_id"
                      + " AND run_id = :run_id ORDER BY id DESC OFFSET :keep LIMIT 1)")
              .bind("job_id", jobId.value())
              .bind("run_id", runId)
              .bind("keep", Telemetry.MAX_PROGRESS_SAMPLES)
              .execute();
        });
  }

  // ----- reads -----------------------------------------------------------------------------------

  @Override
  public Map<Integer, MetricsSnapshot> metrics(JobId jobId, int runId) {
    return jdbi.withHandle(
        h -> {
          Map<Integer, MetricsSnapshot> byTask = new TreeMap<>();
          h.createQuery(
                  "SELECT task_index, snapshot::text AS snapshot FROM job_metrics"
                      + " WHERE job_id = :job_id AND run_id = :run_id")
              .bind("job_id", jobId.value())
              .bind("run_id", runId)
              .map(
                  (rs, ctx) ->
                      Map.entry(
                          rs.getInt("task_index"),
                          TelemetryRows.read(rs.getString("snapshot"), MetricsSnapshot.class)))
              .forEach(e -> byTask.put(e.getKey(), e.getValue()));
          return byTask;
        });
  }

  @Override
  public Page<Stored<JobErrorEntry>> errors(JobId jobId, ErrorFilter f) {
    WhereClause where = new WhereClause();
    where.add("job_id = " + where.bind(jobId.value()));
    where.addIfSet("level =", JobRows.name(f.level()));
    where.addIfSet("operator_id =", f.operatorId());
    where.addIfSet("task_index =", f.taskIndex());
    return jdbi.withHandle(
        h -> {
          long total =
              h.createQuery("SELECT count(*) FROM job_errors WHERE " + where.sql())
                  .bindMap(where.params())
                  .mapTo(Long.class)
                  .one();
          List<Stored<JobErrorEntry>> items =
              h.createQuery(
                      "SELECT id, run_id, task_index, occurred_at, level, operator_id, message,"
                          + " details, record FROM job_errors WHERE "
                          + where.sql()
                          + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                  .bindMap(where.params())
                  .bind("limit", f.limit())
                  .bind("offset", f.offset())
                  .map(
                      (rs, ctx) ->
                          new Stored<>(
                              rs.getLong("id"),
                              rs.getInt("run_id"),
                              new JobErrorEntry(
                                  JobRows.instant(rs, "occurred_at"),
                                  ErrorLevel.valueOf(rs.getString("level")),
                                  rs.getString("operator_id"),
                                  rs.getInt("task_index"),
                                  rs.getString("message"),
                                  rs.getString("details"),
                                  rs.getString("record"))))
                  .list();
          return TelemetryRows.page(items, total, f.limit(), f.offset());
        });
  }

  @Override
  public Page<Stored<OutputRecord>> output(JobId jobId, String operatorId, int limit, int offset) {
    String where =
        "job_id = :job_id" + (operatorId == null ? "" : " AND operator_id = :operator_id");
    return jdbi.withHandle(
        h -> {
          Query count =
              h.createQuery("SELECT count(*) FROM job_output_records WHERE " + where)
                  .bind("job_id", jobId.value());
          Query rows =
              h.createQuery(
                      "SELECT id, run_id, task_index, emitted_at, operator_id, record"
                          + " FROM job_output_records WHERE "
                          + where
                          + " ORDER BY id LIMIT :limit OFFSET :offset")
                  .bind("job_id", jobId.value())
                  .bind("limit", limit)
                  .bind("offset", offset);
          if (operatorId != null) {
            count.bind("operator_id", operatorId);
            rows.bind("operator_id", operatorId);
          }
          long total = count.mapTo(Long.class).one();
          List<Stored<OutputRecord>> items =
              rows.map(
                      (rs, ctx) ->
                          new Stored<>(
                              rs.getLong("id"),
                              rs.getInt("run_id"),
                              new OutputRecord(
                                  JobRows.instant(rs, "emitted_at"),
                                  rs.getString("operator_id"),
                                  rs.getInt("task_index"),
                                  rs.getString("record"))))
                  .list();
          return TelemetryRows.page(items, total, limit, offset);
        });
  }

  @Override
  public Map<JobId, List<ProgressSample>> progress(Collection<JobId> jobIds, int perTask) {
    if (jobIds.isEmpty()) {
      return Map.of();
    }
    UUID[] ids = jobIds.stream().map(JobId::value).distinct().toArray(UUID[]::new);
    return jdbi.withHandle(
        h -> {
          Map<JobId, List<ProgressSample>> result = new HashMap<>();
          h.createQuery(
                  "SELECT job_id, task_index, sampled_at, progress FROM ("
                      + " SELECT s.job_id, s.task_index, s.sampled_at, s.progress, s.id,"
                      + " row_number() OVER (PARTITION BY s.job_id, s.task_index"
                      + " ORDER BY s.id DESC) AS n"
                      + " FROM job_progress_samples s JOIN jobs j"
                      + " ON j.id = s.job_id AND j.run_id = s.run_id"
                      + " WHERE s.job_id = ANY(:ids)) t"
                      + " WHERE n <= :per_task ORDER BY job_id, task_index, id")
              .bind("ids", ids)
              .bind("per_task", perTask)
              .map(
                  (rs, ctx) ->
                      Map.entry(
                          new JobId(rs.getObject("job_id", UUID.class)),
                          new ProgressSample(
                              JobRows.instant(rs, "sampled_at"),
                              rs.getInt("task_index"),
                              rs.getDouble("progress"))))
              .forEach(
                  e ->
                      result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
          return result;
        });
  }
}
