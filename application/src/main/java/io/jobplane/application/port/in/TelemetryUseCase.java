package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import java.util.List;

/**
 * What a running task reports. Every call needs role WORKER (or ADMIN) and the task's current lease
 * (a stale epoch is a CONFLICT and changes nothing). Items must carry the report's task index. The
 * heartbeat use case calls {@link #reportMetrics} and {@link #recordProgress} for what a heartbeat
 * carries.
 */
public interface TelemetryUseCase {

  /** Appends log lines (at most 1000); error-level lines are also recorded as errors. */
  void appendLogs(Caller caller, TaskReport report, List<LogLine> lines);

  void reportErrors(Caller caller, TaskReport report, List<JobErrorEntry> errors);

  void recordCheckpoint(Caller caller, TaskReport report, Checkpoint checkpoint);

  void appendOutput(Caller caller, TaskReport report, List<OutputRecord> records);

  /** Replaces the task's latest metrics snapshot for the lease's run. */
  void reportMetrics(Caller caller, TaskReport report, MetricsSnapshot snapshot);

  void recordProgress(Caller caller, TaskReport report, ProgressSample sample);
}
