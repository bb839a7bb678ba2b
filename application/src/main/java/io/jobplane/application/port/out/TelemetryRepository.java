package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Stored;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable telemetry of jobs, removed with the job. Appends enforce the retention limits of {@link
 * io.jobplane.domain.telemetry.Telemetry} in the same transaction: the oldest items beyond the
 * limit are deleted (never the newest {@code LOG_TAIL_LINES} log lines).
 */
public interface TelemetryRepository extends CheckpointCatalog {

  void appendLogs(JobId jobId, int runId, List<LogLine> lines);

  void appendErrors(JobId jobId, int runId, List<JobErrorEntry> errors);

  /** Inserts, or replaces the checkpoint with the same id of the job. */
  void saveCheckpoint(JobId jobId, int runId, Checkpoint checkpoint);

  void appendOutput(JobId jobId, int runId, List<OutputRecord> records);

  void saveMetrics(JobId jobId, int runId, int taskIndex, MetricsSnapshot snapshot);

  void appendProgress(JobId jobId, int runId, ProgressSample sample);

  /** The latest snapshot per task index of the run. */
  Map<Integer, MetricsSnapshot> metrics(JobId jobId, int runId);

  Page<Checkpoint> checkpoints(JobId jobId, Boolean completed, int limit, int offset);

  Optional<Checkpoint> checkpoint(JobId jobId, String checkpointId);

  /** At most {@code filter.limit() + 1} lines, so callers can tell whether there are more. */
  List<Stored<LogLine>> logs(JobId jobId, LogFilter filter);

  /**
   * The newest {@code lines} lines matching {@code filter} (its limit and cursor aside), oldest
   * first: {@code tail -n}.
   */
  List<Stored<LogLine>> lastLogs(JobId jobId, LogFilter filter, int lines);

  /**
   * Like {@link #logs} (at most {@code filter.limit()} lines), but only lines whose writers
   * finished before every transaction still running, so a follower that moves its cursor past a
   * line never misses one committed later with a lower id.
   */
  List<Stored<LogLine>> settledLogs(JobId jobId, LogFilter filter);

  /**
   * The id of the job's newest log line (0 when none); with {@code settledOnly}, of the newest one
   * {@link #settledLogs} would return now: where a follower that has read nothing yet starts.
   */
  long newestLogId(JobId jobId, boolean settledOnly);

  Page<Stored<JobErrorEntry>> errors(JobId jobId, ErrorFilter filter);

  Page<Stored<OutputRecord>> output(JobId jobId, String operatorId, int limit, int offset);

  /** Per job, the newest {@code perTask} samples of each task of the job's current run. */
  Map<JobId, List<ProgressSample>> progress(Collection<JobId> jobIds, int perTask);
}
