package io.jobplane.application.service;

import io.jobplane.application.port.in.TelemetryQueries;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.EtaEstimator;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.JobMetrics;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

public final class TelemetryQueryService implements TelemetryQueries {

  private final JobRepository jobs;
  private final TelemetryRepository telemetry;

  public TelemetryQueryService(JobRepository jobs, TelemetryRepository telemetry) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
  }

  private JobSnapshot visible(Caller caller, JobId id) {
    AccessPolicy.requireRead(caller);
    return AccessPolicy.visible(caller, jobs.findById(id).orElse(null));
  }

  @Override
  public JobMetrics metrics(Caller caller, JobId id) {
    JobSnapshot job = visible(caller, id);
    return new JobMetrics(telemetry.metrics(id, job.runId()));
  }

  @Override
  public JobMetrics.OperatorView operatorMetrics(Caller caller, JobId id, String operatorId) {
    Telemetry.requiredOperatorId(operatorId, "operator_id");
    return metrics(caller, id).operators().stream()
        .filter(o -> o.operatorId().equals(operatorId))
        .findFirst()
        .orElseThrow(
            () ->
                DomainException.notFound(
                    "operator " + operatorId + " has no metrics in job " + id));
  }

  @Override
  public Page<Checkpoint> checkpoints(
      Caller caller, JobId id, Boolean completed, int limit, int offset) {
    page(limit, offset);
    visible(caller, id);
    return telemetry.checkpoints(id, completed, limit, offset);
  }

  @Override
  public Checkpoint checkpoint(Caller caller, JobId id, String checkpointId) {
    visible(caller, id);
    return telemetry
        .checkpoint(id, checkpointId)
        .orElseThrow(
            () ->
                DomainException.notFound(
                    "checkpoint " + checkpointId + " of job " + id + " not found"));
  }

  @Override
  public Page<Stored<LogLine>> logs(Caller caller, JobId id, LogFilter filter) {
    visible(caller, id);
    List<Stored<LogLine>> rows = telemetry.logs(id, filter);
    boolean more = rows.size() > filter.limit();
    List<Stored<LogLine>> items = more ? rows.subList(0, filter.limit()) : rows;
    String next = more ? Long.toString(items.get(items.size() - 1).id()) : null;
    return new Page<>(items, -1, filter.limit(), 0, more, next);
  }

  @Override
  public Page<Stored<LogLine>> lastLogs(Caller caller, JobId id, LogFilter filter, int lines) {
    if (lines < 1 || lines > LogFilter.MAX_LIMIT) {
      throw DomainException.invalid("tail", "must be between 1 and " + LogFilter.MAX_LIMIT);
    }
    visible(caller, id);
    List<Stored<LogLine>> items = telemetry.lastLogs(id, filter, lines);
    String next = items.isEmpty() ? null : Long.toString(items.get(items.size() - 1).id());
    return new Page<>(items, -1, lines, 0, false, next);
  }

  @Override
  public Page<Stored<JobErrorEntry>> errors(Caller caller, JobId id, ErrorFilter filter) {
    visible(caller, id);
    return telemetry.errors(id, filter);
  }

  @Override
  public Page<Stored<OutputRecord>> output(
      Caller caller, JobId id, String operatorId, int limit, int offset) {
    page(limit, offset);
    Telemetry.operatorId(operatorId, "operator_id");
    visible(caller, id);
    return telemetry.output(id, operatorId, limit, offset);
  }

  @Override
  public Long estimatedSecondsRemaining(Caller caller, JobId id) {
    JobSnapshot job = visible(caller, id);
    if (job.status().isTerminal()) {
      return null;
    }
    return EtaEstimator.estimateSecondsRemaining(
        telemetry.progress(List.of(id), EtaEstimator.WINDOW).getOrDefault(id, List.of()));
  }

  @Override
  public Map<JobId, Long> estimatedSecondsRemaining(Caller caller, Collection<JobId> ids) {
    AccessPolicy.requireRead(caller);
    Map<JobId, Long> estimates = new HashMap<>();
    if (ids.isEmpty()) {
      return estimates;
    }
    telemetry
        .progress(ids, EtaEstimator.WINDOW)
        .forEach(
            (id, samples) -> {
              Long eta = EtaEstimator.estimateSecondsRemaining(samples);
              if (eta != null) {
                estimates.put(id, eta);
              }
            });
    return estimates;
  }

  private static void page(int limit, int offset) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (offset < 0) {
      throw DomainException.invalid("offset", "must not be negative");
    }
  }
}
