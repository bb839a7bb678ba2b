package io.jobplane.adapters.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.CheckpointState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Checkpoints of jobs (table {@code job_checkpoints}): one row per checkpoint id, upserted. */
final class JdbiCheckpoints {

  private static final TypeReference<List<Checkpoint.OperatorState>> OPERATOR_STATES =
      new TypeReference<>() {};

  private final Jdbi jdbi;

  JdbiCheckpoints(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void save(JobId jobId, int runId, Checkpoint c) {
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
                .bind("operator_states", TelemetryRows.json(c.operatorStates()))
                .execute());
  }

  private static final String CHECKPOINT_COLUMNS =
      "checkpoint_id, task_index, checkpoint_epoch, state, started_at, finished_at, size_bytes,"
          + " backend, location, operator_states::text AS operator_states";

  Page<Checkpoint> page(JobId jobId, Boolean completed, int limit, int offset) {
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
          return TelemetryRows.page(items, total, limit, offset);
        });
  }

  Optional<Checkpoint> find(JobId jobId, String checkpointId) {
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

  Map<JobId, Checkpoint> find(Map<JobId, String> checkpointIds) {
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

  private static Checkpoint checkpoint(ResultSet rs) throws SQLException {
    long size = rs.getLong("size_bytes");
    Long sizeBytes = rs.wasNull() ? null : size;
    return new Checkpoint(
        rs.getString("checkpoint_id"),
        rs.getLong("checkpoint_epoch"),
        CheckpointState.valueOf(rs.getString("state")),
        JobRows.instant(rs, "started_at"),
        JobRows.instant(rs, "finished_at"),
        sizeBytes,
        rs.getString("backend"),
        rs.getString("location"),
        rs.getInt("task_index"),
        TelemetryRows.read(rs.getString("operator_states"), OPERATOR_STATES));
  }
}
