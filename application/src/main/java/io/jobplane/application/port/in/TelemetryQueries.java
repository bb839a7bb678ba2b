package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.JobMetrics;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.Stored;
import java.util.Collection;
import java.util.Map;

/**
 * Reading what jobs reported, for callers that may read jobs; a job in a project the caller cannot
 * see is NOT_FOUND. Metrics and progress are those of the job's current run.
 */
public interface TelemetryQueries {

  JobMetrics metrics(Caller caller, JobId id);

  /** The operator across tasks; NOT_FOUND when no task reports it. */
  JobMetrics.OperatorView operatorMetrics(Caller caller, JobId id, String operatorId);

  /** Newest checkpoint epoch first; {@code completed} null means any state. */
  Page<Checkpoint> checkpoints(Caller caller, JobId id, Boolean completed, int limit, int offset);

  Checkpoint checkpoint(Caller caller, JobId id, String checkpointId);

  /** Oldest first; the page's nextCursor resumes after its last line. */
  Page<Stored<LogLine>> logs(Caller caller, JobId id, LogFilter filter);

  /**
   * The newest {@code lines} lines matching the filter (its cursor and limit aside), oldest first;
   * the page's nextCursor is the newest line's id, where a follow-up read or follow resumes.
   */
  Page<Stored<LogLine>> lastLogs(Caller caller, JobId id, LogFilter filter, int lines);

  /** Newest first. */
  Page<Stored<JobErrorEntry>> errors(Caller caller, JobId id, ErrorFilter filter);

  /** Oldest first; {@code operatorId} null means all operators. */
  Page<Stored<OutputRecord>> output(
      Caller caller, JobId id, String operatorId, int limit, int offset);

  /** See {@link io.jobplane.domain.telemetry.EtaEstimator}; null when unknown. */
  Long estimatedSecondsRemaining(Caller caller, JobId id);

  /**
   * Estimates for jobs the caller already read (no access check beyond read access); jobs without
   * an estimate are absent.
   */
  Map<JobId, Long> estimatedSecondsRemaining(Caller caller, Collection<JobId> ids);

  /** The largest page of checkpoints and output a caller may ask for. */
  int MAX_LIMIT = 1000;
}
