package io.jobplane.application.service;

import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ReportOutcome;
import io.jobplane.application.port.in.WorkerProtocolUseCase.StopRequest;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.LeaseProof;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.ProgressSample;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * The reports of {@link WorkerProtocolService} (heartbeat, complete, fail, stopped), single or in a
 * batch, each call in one transaction. A report locks the job row first (a batch all its jobs, in
 * id order), so all changes to one job's tasks serialize and the job-level rules always see every
 * task of the run; a batch costs a number of statements that does not grow with the number of
 * reports (heartbeat telemetry aside).
 */
final class LeaseReports {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobLocks locks;
  private final TelemetryRepository telemetry;
  private final TransactionRunner tx;
  private final Clock clock;
  private final DoubleSupplier random;

  /** Reads its collaborators from a validated builder, once. */
  LeaseReports(WorkerProtocolService.Builder b) {
    this.jobs = b.jobs;
    this.tasks = b.tasks;
    this.locks = b.locks;
    this.telemetry = b.telemetry;
    this.tx = b.tx;
    this.clock = b.clock;
    this.random = b.random;
  }

  List<ReportOutcome> report(Caller caller, List<LeaseReport> reports) {
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          // every job of the batch in one statement, in id order: two batches never deadlock
          Set<JobId> ids = new LinkedHashSet<>();
          reports.forEach(r -> ids.add(r.lease().jobId()));
          Map<JobId, JobSnapshot> locked = new HashMap<>();
          // only the runs of jobs the caller may see are used; the others' tasks, read in the
          // same statement, are dropped unseen
          Map<JobId, JobRun> runs = new LinkedHashMap<>();
          Runs.lockAll(locks, ids, false)
              .forEach(
                  (id, run) -> {
                    JobSnapshot job = run.job().snapshot();
                    locked.put(id, job);
                    if (caller.sees(job.definition().project())) {
                      runs.put(id, run);
                    }
                  });
          List<ReportOutcome> outcomes = new ArrayList<>(reports.size());
          for (LeaseReport report : reports) {
            try {
              // the project check comes first: a job the caller cannot see is missing, whatever
              // the rest of the report says (no epoch of it is ever compared, let alone named)
              AccessPolicy.visible(caller, locked.get(report.lease().jobId()));
              JobRun run = runs.get(report.lease().jobId());
              outcomes.add(run.atomically(() -> apply(run, report, now)));
            } catch (DomainException e) {
              outcomes.add(ReportOutcome.refused(report, e));
            }
          }
          Runs.saveAll(jobs, tasks, runs.values());
          outcomes.stream().filter(ReportOutcome::isAccepted).forEach(o -> record(o, now));
          return outcomes;
        });
  }

  /** One report on its run; throws (changing nothing, see {@link JobRun#atomically}) if refused. */
  private ReportOutcome apply(JobRun run, LeaseReport report, Instant now) {
    int index = report.lease().taskIndex();
    LeaseProof proof = LeaseTokens.proof(report.lease().epoch(), report.lease().leaseToken());
    if (report instanceof LeaseReport.Heartbeat h) {
      HeartbeatAnswer answer = heartbeatOn(run, index, proof, h.progress(), h.items(), now);
      return ReportOutcome.accepted(report, answer.task(), answer.stop());
    }
    TaskState task;
    if (report instanceof LeaseReport.Complete c) {
      task = run.complete(index, proof, c.outputJson(), c.changed(), now);
    } else if (report instanceof LeaseReport.Fail f) {
      task = failOn(run, index, proof, f.error(), f.exitCode(), f.retryable(), now);
    } else if (report instanceof LeaseReport.Stopped) {
      task = run.stopped(index, proof, now);
    } else {
      throw new IllegalArgumentException("unknown report " + report);
    }
    return ReportOutcome.accepted(report, task, null);
  }

  /**
   * The telemetry an accepted heartbeat carries, in the batch's transaction (the single heartbeat
   * call stores the same through {@link io.jobplane.application.port.in.TelemetryUseCase}).
   */
  private void record(ReportOutcome outcome, Instant now) {
    if (!(outcome.report() instanceof LeaseReport.Heartbeat h)) {
      return;
    }
    JobId job = h.lease().jobId();
    int runId = outcome.task().runId();
    int index = h.lease().taskIndex();
    if (h.progress() != null) {
      telemetry.appendProgress(job, runId, new ProgressSample(now, index, h.progress()));
    }
    if (h.metrics() != null) {
      telemetry.saveMetrics(job, runId, index, h.metrics());
    }
    if (h.message() != null && !h.message().isBlank()) {
      telemetry.appendLogs(
          job,
          runId,
          List.of(new LogLine(now, LogLevel.INFO, LogStream.STATUS, h.message(), null, index)));
    }
  }

  HeartbeatAnswer heartbeat(LeaseRef lease, Integer progress, TaskItems items) {
    return report(
        lease,
        (run, proof, now) -> heartbeatOn(run, lease.taskIndex(), proof, progress, items, now));
  }

  private static HeartbeatAnswer heartbeatOn(
      JobRun run, int index, LeaseProof proof, Integer progress, TaskItems items, Instant now) {
    TaskState t = run.heartbeat(index, proof, progress, items, now);
    JobSnapshot job = run.job().snapshot();
    StopRequest stop = null;
    if (t.stopDeadline() != null) {
      StopMode mode = job.stopMode() == null ? StopMode.GRACEFUL : job.stopMode();
      stop = new StopRequest(mode, t.stopDeadline());
    }
    return new HeartbeatAnswer(t, stop);
  }

  TaskState complete(LeaseRef lease, String outputJson, Boolean changed) {
    return report(
        lease,
        (run, proof, now) -> run.complete(lease.taskIndex(), proof, outputJson, changed, now));
  }

  TaskState fail(LeaseRef lease, JobError error, Integer exitCode, boolean retryable) {
    return report(
        lease,
        (run, proof, now) ->
            failOn(run, lease.taskIndex(), proof, error, exitCode, retryable, now));
  }

  private TaskState failOn(
      JobRun run,
      int index,
      LeaseProof proof,
      JobError error,
      Integer exitCode,
      boolean retryable,
      Instant now) {
    return run.fail(index, proof, error, exitCode, retryable, random.getAsDouble(), now);
  }

  TaskState stopped(LeaseRef lease) {
    return report(lease, (run, proof, now) -> run.stopped(lease.taskIndex(), proof, now));
  }

  private interface Report<T> {
    T apply(JobRun run, LeaseProof proof, Instant now);
  }

  private <T> T report(LeaseRef lease, Report<T> change) {
    // a report without its lease token is malformed, whatever job it names; hashed once
    LeaseProof proof = LeaseTokens.proof(lease.epoch(), lease.leaseToken());
    return tx.inTransaction(
        () -> {
          JobRun run = Runs.lockAll(locks, List.of(lease.jobId()), false).get(lease.jobId());
          AccessPolicy.visible(lease.caller(), run == null ? null : run.job().snapshot());
          T result = change.apply(run, proof, Clocks.now(clock));
          Runs.save(jobs, tasks, run);
          return result;
        });
  }
}
