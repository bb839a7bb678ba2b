package io.jobplane.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.CheckpointState;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link TelemetryRepository} on PostgreSQL (tables of V4__create_telemetry.sql). Every value is
 * bound; the only SQL assembled at runtime is the choice among fixed predicates. Appends trim the
 * job's oldest rows beyond the retention limit in the same transaction.
 */
public final class JdbiTelemetryRepository implements TelemetryRepository {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<List<Checkpoint.OperatorState>> OPERATOR_STATES =
      new TypeReference<>() {};

  private final Jdbi jdbi;

  public JdbiTelemetryRepository(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  // ----- writes ----------------------------------------------------------------------------------

  @Override
  public void appendLogs(JobId jobId, int runId, List<LogLine> lines) {
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
          trim(h, "job_logs", jobId, Math.max(Telemetry.MAX_LOG_LINES, Telemetry.LOG_TAIL_LINES));
        });
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
          trim(h, "job_errors", jobId, Telemetry.MAX_ERRORS);
        });
  }

  @Override
  public void saveCheckpoint(JobId jobId, int runId, Checkpoint c) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO job_checkpoints (job_id, checkpoint_id, run_id, task_index,"
                        + " checkpoint_epoch, state, started_at, finished_at, size_bytes, backend,"
                        + " location, operator_states) VALUES (:job_id, :checkpoint_id, :run_id,"
                        + " :task_index, :epoch, :state, :started_at, :finished_at, :size_bytes,"
                        + " :backend, :location, CAST(:operator_states AS jsonb))"
                        + " ON CONFLICT (job_id, checkpoint_id) DO UPDATE SET"
                        + " run_id = EXCLUDED.run_id, task_index = EXCLUDED.task_index,"
                        + " checkpoint_epoch = EXCLUDED.checkpoint_epoch, state = EXCLUDED.state,"
                        + " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
                        + " size_bytes = EXCLUDED.size_bytes, backend = EXCLUDED.backend,"
                        + " location = EXCLUDED.location,"
                        + " operator_states = EXCLUDED.operator_states")
                .bind("job_id", jobId.value())
                .bind("checkpoint_id", c.id())
                .bind("run_id", runId)
                .bind("task_index", c.taskIndex())
                .bind("epoch", c.checkpointEpoch())
                .bind("state", c.state().name())
                .bind("started_at", JobRows.ts(c.startedAt()))
                .bind("finished_at", JobRows.ts(c.finishedAt()))
                .bind("size_bytes", c.sizeBytes())
                .bind("backend", c.backend())
                .bind("location", c.location())
                .bind("operator_states", json(c.operatorStates()))
                .execute());
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
          trim(h, "job_output_records", jobId, Telemetry.MAX_OUTPUT_RECORDS);
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
              .bind("snapshot", json(snapshot))
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

  /** Deletes the job's rows older than its newest {@code keep} (the table name is a constant). */
  private static void trim(Handle h, String table, JobId jobId, int keep) {
    h.createUpdate(
            "DELETE FROM "
                + table
                + " WHERE job_id = :job_id AND id <= (SELECT id FROM "
                + table
                + " WHERE job_id = :job_id ORDER BY id DESC OFFSET :keep LIMIT 1)")
        .bind("job_id", jobId.value())
        .bind("keep", keep)
        .execute();
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
                          read(rs.getString("snapshot"), MetricsSnapshot.class)))
              .forEach(e -> byTask.put(e.getKey(), e.getValue()));
          return byTask;
        });
  }

  private static final String CHECKPOINT_COLUMNS =
      "checkpoint_id, task_index, checkpoint_epoch, state, started_at, finished_at, size_bytes,"
          + " backend, location, operator_states::text AS operator_states";

  @Override
  public Page<Checkpoint> checkpoints(JobId jobId, Boolean completed, int limit, int offset) {
    String where =
        "job_id = :job_id"
            + (completed == null
                ? ""
                : completed ? " AND state = 'COMPLETED'" : " AND state <> 'COMPLETED'");
    return jdbi.withHandle(
        h -> {
          long total =
              h.createQuery("SELECT count(*) FROM job_checkpoints WHERE " + where)
                  .bind("job_id", jobId.value())
                  .mapTo(Long.class)
                  .one();
          List<Checkpoint> items =
              h.createQuery(
                      "SELECT "
                          + CHECKPOINT_COLUMNS
                          + " FROM job_checkpoints WHERE "
                          + where
                          + " ORDER BY checkpoint_epoch DESC, started_at DESC, checkpoint_id DESC"
                          + " LIMIT :limit OFFSET :offset")
                  .bind("job_id", jobId.value())
                  .bind("limit", limit)
                  .bind("offset", offset)
                  .map((rs, ctx) -> checkpoint(rs))
                  .list();
          return page(items, total, limit, offset);
        });
  }

  @Override
  public Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + CHECKPOINT_COLUMNS
                        + " FROM job_checkpoints WHERE job_id = :job_id"
                        + " AND checkpoint_id = :checkpoint_id")
                .bind("job_id", jobId.value())
                .bind("checkpoint_id", checkpointId)
                .map((rs, ctx) -> checkpoint(rs))
                .findOne());
  }

  @Override
  public Map<JobId, Checkpoint> checkpoints(Map<JobId, String> checkpointIds) {
    if (checkpointIds.isEmpty()) {
      return Map.of();
    }
    List<Map.Entry<JobId, String>> keys = List.copyOf(checkpointIds.entrySet());
    return jdbi.withHandle(
        h -> {
          Map<JobId, Checkpoint> found = new HashMap<>();
          h.createQuery(
                  "SELECT job_id, "
                      + CHECKPOINT_COLUMNS
                      + " FROM job_checkpoints WHERE (job_id, checkpoint_id) IN (SELECT * FROM"
                      + " unnest(CAST(:job_ids AS uuid[]), CAST(:checkpoint_ids AS text[])))")
              .bind("job_ids", keys.stream().map(e -> e.getKey().value()).toArray(UUID[]::new))
              .bind("checkpoint_ids", keys.stream().map(Map.Entry::getValue).toArray(String[]::new))
              .map(
                  (rs, ctx) ->
                      Map.entry(new JobId(rs.getObject("job_id", UUID.class)), checkpoint(rs)))
              .forEach(e -> found.put(e.getKey(), e.getValue()));
          return found;
        });
  }

  @Override
  public List<Stored<LogLine>> logs(JobId jobId, LogFilter f) {
    return readLogs(jobId, f, f.afterId(), false, "id", f.limit() + 1);
  }

  @Override
  public List<Stored<LogLine>> lastLogs(JobId jobId, LogFilter f, int lines) {
    List<Stored<LogLine>> newestFirst = readLogs(jobId, f, 0, false, "id DESC", lines);
    List<Stored<LogLine>> oldestFirst = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  @Override
  public List<Stored<LogLine>> settledLogs(JobId jobId, LogFilter f) {
    return readLogs(jobId, f, f.afterId(), true, "id", f.limit());
  }

  @Override
  public long newestLogId(JobId jobId, boolean settledOnly) {
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
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, run_id, task_index, logged_at, level, stream, operator_id, message"
                + " FROM job_logs WHERE job_id = :job_id AND id > :after_id");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("job_id", jobId.value());
    params.put("after_id", afterId);
    if (settledOnly) {
      sql.append(" AND ").append(SETTLED_LOG);
    }
    if (f.level() != null) {
      sql.append(" AND level = :level");
      params.put("level", f.level().name());
    }
    if (f.taskIndex() != null) {
      sql.append(" AND task_index = :task_index");
      params.put("task_index", f.taskIndex());
    }
    if (f.operatorId() != null) {
      sql.append(" AND operator_id = :operator_id");
      params.put("operator_id", f.operatorId());
    }
    if (f.since() != null) {
      sql.append(" AND logged_at >= :since");
      params.put("since", JobRows.ts(f.since()));
    }
    if (f.until() != null) {
      sql.append(" AND logged_at < :until");
      params.put("until", JobRows.ts(f.until()));
    }
    // order is one of the constants above, never client text
    sql.append(" ORDER BY ").append(order).append(" LIMIT :limit");
    params.put("limit", limit);
    return jdbi.withHandle(
        h ->
            h.createQuery(sql.toString())
                .bindMap(params)
                .map(
                    (rs, ctx) ->
                        new Stored<>(
                            rs.getLong("id"),
                            rs.getInt("run_id"),
                            new LogLine(
                                instant(rs, "logged_at"),
                                LogLevel.valueOf(rs.getString("level")),
                                LogStream.valueOf(rs.getString("stream")),
                                rs.getString("message"),
                                rs.getString("operator_id"),
                                rs.getInt("task_index"))))
                .list());
  }

  @Override
  public Page<Stored<JobErrorEntry>> errors(JobId jobId, ErrorFilter f) {
    StringBuilder where = new StringBuilder("job_id = :job_id");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("job_id", jobId.value());
    if (f.level() != null) {
      where.append(" AND level = :level");
      params.put("level", f.level().name());
    }
    if (f.operatorId() != null) {
      where.append(" AND operator_id = :operator_id");
      params.put("operator_id", f.operatorId());
    }
    if (f.taskIndex() != null) {
      where.append(" AND task_index = :task_index");
      params.put("task_index", f.taskIndex());
    }
    return jdbi.withHandle(
        h -> {
          long total =
              h.createQuery("SELECT count(*) FROM job_errors WHERE " + where)
                  .bindMap(params)
                  .mapTo(Long.class)
                  .one();
          List<Stored<JobErrorEntry>> items =
              h.createQuery(
                      "SELECT id, run_id, task_index, occurred_at, level, operator_id, message,"
                          + " details, record FROM job_errors WHERE "
                          + where
                          + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                  .bindMap(params)
                  .bind("limit", f.limit())
                  .bind("offset", f.offset())
                  .map(
                      (rs, ctx) ->
                          new Stored<>(
                              rs.getLong("id"),
                              rs.getInt("run_id"),
                              new JobErrorEntry(
                                  instant(rs, "occurred_at"),
                                  ErrorLevel.valueOf(rs.getString("level")),
                                  rs.getString("operator_id"),
                                  rs.getInt("task_index"),
                                  rs.getString("message"),
                                  rs.getString("details"),
                                  rs.getString("record"))))
                  .list();
          return page(items, total, f.limit(), f.offset());
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
                                  instant(rs, "emitted_at"),
                                  rs.getString("operator_id"),
                                  rs.getInt("task_index"),
                                  rs.getString("record"))))
                  .list();
          return page(items, total, limit, offset);
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
                              instant(rs, "sampled_at"),
                              rs.getInt("task_index"),
                              rs.getDouble("progress"))))
              .forEach(
                  e ->
                      result.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
          return result;
        });
  }

  // ----- mapping ---------------------------------------------------------------------------------

  private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
    long size = rs.getLong("size_bytes");
    Long sizeBytes = rs.wasNull() ? null : size;
    return new Checkpoint(
        rs.getString("checkpoint_id"),
        rs.getLong("checkpoint_epoch"),
        CheckpointState.valueOf(rs.getString("state")),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        sizeBytes,
        rs.getString("backend"),
        rs.getString("location"),
        rs.getInt("task_index"),
        read(rs.getString("operator_states"), OPERATOR_STATES));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static <T> Page<T> page(List<T> items, long total, int limit, int offset) {
    return new Page<>(items, total, limit, offset, (long) offset + items.size() < total, null);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("telemetry values are always serializable", e);
    }
  }

  private static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored telemetry holds invalid JSON: " + json, e);
    }
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored telemetry holds invalid JSON: " + json, e);
    }
  }
}
