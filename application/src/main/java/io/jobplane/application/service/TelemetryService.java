package io.jobplane.application.service;

import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.TelemetryUseCase;
import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.LeaseVerifier.LeasedTask;
import io.jobplane.application.port.out.LeaseVerifier.VerifiedLease;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.LeaseProof;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Telemetry;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Accepts worker telemetry: checks the role, then the job's project (a job the caller cannot see is
 * missing, before anything about its lease is compared or named), fences the report with the task's
 * lease and stores it in one transaction (so a stale report changes nothing).
 */
public final class TelemetryService implements TelemetryUseCase {

  private final LeaseVerifier leases;
  private final TelemetryRepository telemetry;
  private final TransactionRunner transactions;
  private final Clock clock;

  public TelemetryService(
      LeaseVerifier leases,
      TelemetryRepository telemetry,
      TransactionRunner transactions,
      Clock clock) {
    this.leases = Objects.requireNonNull(leases, "leases");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.transactions = Objects.requireNonNull(transactions, "transactions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void appendLogs(Caller caller, TaskReport report, List<LogLine> lines) {
    batch("lines", lines, report, LogLine::taskIndex);
    List<JobErrorEntry> errors =
        lines.stream().filter(l -> l.level() == LogLevel.ERROR).map(LogLine::asError).toList();
    fenced(
        caller,
        report,
        lease -> {
          telemetry.appendLogs(report.jobId(), lease.runId(), lines);
          if (!errors.isEmpty()) {
            telemetry.appendErrors(report.jobId(), lease.runId(), errors);
          }
        });
  }

  @Override
  public void reportErrors(Caller caller, TaskReport report, List<JobErrorEntry> errors) {
    batch("errors", errors, report, JobErrorEntry::taskIndex);
    fenced(caller, report, lease -> telemetry.appendErrors(report.jobId(), lease.runId(), errors));
  }

  @Override
  public void recordCheckpoint(Caller caller, TaskReport report, Checkpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    sameTask(report, checkpoint.taskIndex());
    fenced(
        caller,
        report,
        lease -> telemetry.saveCheckpoint(report.jobId(), lease.runId(), checkpoint));
  }

  @Override
  public void appendOutput(Caller caller, TaskReport report, List<OutputRecord> records) {
    batch("records", records, report, OutputRecord::taskIndex);
    fenced(caller, report, lease -> telemetry.appendOutput(report.jobId(), lease.runId(), records));
  }

  @Override
  public void reportMetrics(Caller caller, TaskReport report, MetricsSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    fenced(
        caller,
        report,
        lease ->
            telemetry.saveMetrics(report.jobId(), lease.runId(), report.taskIndex(), snapshot));
  }

  @Override
  public void recordProgress(Caller caller, TaskReport report, ProgressSample sample) {
    Objects.requireNonNull(sample, "sample");
    sameTask(report, sample.taskIndex());
    fenced(
        caller, report, lease -> telemetry.appendProgress(report.jobId(), lease.runId(), sample));
  }

  private void fenced(Caller caller, TaskReport report, Consumer<VerifiedLease> store) {
    requireWorker(caller);
    LeaseProof proof =
        caller.run() == null ? LeaseTokens.proof(report.epoch(), report.leaseToken()) : null;
    transactions.inTransaction(
        () -> {
          store.accept(
              proof != null
                  ? held(caller, report, proof)
                  : leases.requireCurrentRun(
                      report.jobId(), report.taskIndex(), ownRun(caller, report)));
          return null;
        });
  }

  /** The lease the report proves it holds; a job the caller cannot see is missing, first. */
  private VerifiedLease held(Caller caller, TaskReport report, LeaseProof proof) {
    LeasedTask found = leases.lockTask(report.jobId(), report.taskIndex()).orElse(null);
    if (found == null || !caller.sees(found.project())) {
      throw AccessPolicy.notFound(null);
    }
    TaskState task = found.task();
    task.requireCurrent(proof, Clocks.now(clock));
    return new VerifiedLease(report.jobId(), report.taskIndex(), task.runId(), task.epoch());
  }

  /** A run credential reports for its own job only; its run is checked by the verifier. */
  private static int ownRun(Caller caller, TaskReport report) {
    if (!caller.run().jobId().equals(report.jobId())) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "this credential may only report for job " + caller.run().jobId());
    }
    return caller.run().runId();
  }

  static void requireWorker(Caller caller) {
    if (!caller.has(Role.WORKER)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not report for tasks (role worker required)");
    }
  }

  private static <T> void batch(
      String field, List<T> items, TaskReport report, java.util.function.ToIntFunction<T> task) {
    if (items == null || items.isEmpty()) {
      throw DomainException.invalid(field, "must hold at least one item");
    }
    if (items.size() > Telemetry.MAX_BATCH) {
      throw DomainException.invalid(field, "must hold at most " + Telemetry.MAX_BATCH + " items");
    }
    for (T item : items) {
      sameTask(report, task.applyAsInt(item));
    }
  }

  private static void sameTask(TaskReport report, int taskIndex) {
    if (taskIndex != report.taskIndex()) {
      throw DomainException.invalid(
          "task_index", "items must belong to task " + report.taskIndex() + " of the report");
    }
  }
}
