package io.jobplane.application.service;

import static java.time.ZoneOffset.UTC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryLeaseVerifier;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.CheckpointState;
import io.jobplane.domain.telemetry.Counters;
import io.jobplane.domain.telemetry.ErrorFilter;
import io.jobplane.domain.telemetry.ErrorLevel;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogFilter;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Telemetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TelemetryServiceTest {

  private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");
  private static final Caller WORKER = new Caller("w", Set.of(Role.WORKER), null);
  private static final Caller VIEWER = new Caller("v", Set.of(Role.VIEWER), null);
  private static final Caller ETL_ONLY = new Caller("etl", Set.of(Role.VIEWER), Set.of("etl"));

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final InMemoryLeaseVerifier leases = new InMemoryLeaseVerifier(Clock.fixed(T0, UTC));
  private final InMemoryTelemetryRepository store = new InMemoryTelemetryRepository(jobs);
  private final TelemetryService writes =
      new TelemetryService(leases, store, new DirectTransactionRunner(), Clock.fixed(T0, UTC));
  private final TelemetryQueryService reads = new TelemetryQueryService(jobs, store);
  private final JobSnapshot job =
      jobs.insert(
          JobTestData.aJob().inProject("analytics").withStatus(JobStatus.RUNNING).buildJob());
  private final TaskReport report = new TaskReport(job.id(), 0, 3, InMemoryLeaseVerifier.TOKEN);

  TelemetryServiceTest() {
    leases.grant(job.id(), 0, "analytics", 3);
  }

  private static LogLine line(LogLevel level, String message) {
    return new LogLine(T0, level, null, message, null, 0);
  }

  @Test
  void logs_are_stored_and_error_lines_are_copied_to_errors() {
    writes.appendLogs(WORKER, report, List.of(line(LogLevel.INFO, "a"), line(LogLevel.ERROR, "b")));
    var page = reads.logs(VIEWER, job.id(), new LogFilter(null, null, null, null, null, 1, 0));
    assertThat(page.items()).extracting(s -> s.value().message()).containsExactly("a");
    assertThat(page.hasMore()).isTrue();
    var next =
        reads.logs(
            VIEWER,
            job.id(),
            new LogFilter(null, null, null, null, null, 10, Long.parseLong(page.nextCursor())));
    assertThat(next.items()).extracting(s -> s.value().message()).containsExactly("b");
    var errors = reads.errors(VIEWER, job.id(), new ErrorFilter(null, null, null, 10, 0));
    assertThat(errors.items()).extracting(s -> s.value().message()).containsExactly("b");
  }

  @Test
  void stale_epochs_revoked_leases_and_non_workers_change_nothing() {
    assertThatThrownBy(
            () ->
                writes.appendLogs(
                    WORKER,
                    new TaskReport(job.id(), 0, 2, InMemoryLeaseVerifier.TOKEN),
                    List.of(line(LogLevel.INFO, "x"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.STALE_LEASE));
    assertThatThrownBy(() -> writes.appendLogs(VIEWER, report, List.of(line(LogLevel.INFO, "x"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    leases.revoke(job.id(), 0);
    assertThatThrownBy(() -> writes.appendLogs(WORKER, report, List.of(line(LogLevel.INFO, "x"))))
        .isInstanceOf(DomainException.class);
    assertThat(store.counts(job.id())).containsExactly(0, 0, 0);
    // admin passes the role check
    leases.grant(job.id(), 0, "analytics", 4);
    writes.appendLogs(
        Caller.admin("root"),
        new TaskReport(job.id(), 0, 4, InMemoryLeaseVerifier.TOKEN),
        List.of(line(LogLevel.INFO, "x")));
    assertThat(store.counts(job.id())[0]).isEqualTo(1);
  }

  @Test
  void a_worker_of_another_project_is_told_the_job_does_not_exist_before_any_lease_check() {
    Caller etlWorker = new Caller("etl-worker", Set.of(Role.WORKER), Set.of("etl"));
    for (TaskReport r :
        List.of(
            report, // the right lease, held by someone else's worker
            new TaskReport(job.id(), 0, 99, "jpl_lease_guess"),
            new TaskReport(io.jobplane.domain.JobId.random(), 0, 3, "jpl_lease_guess"))) {
      assertThatThrownBy(() -> writes.appendLogs(etlWorker, r, List.of(line(LogLevel.INFO, "x"))))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND))
          .hasMessage("job not found");
    }
    assertThat(store.counts(job.id())).containsExactly(0, 0, 0);
  }

  @Test
  void the_right_epoch_without_the_lease_token_is_a_stale_lease_that_names_no_epoch() {
    assertThatThrownBy(
            () ->
                writes.appendLogs(
                    WORKER,
                    new TaskReport(job.id(), 0, 3, "jpl_lease_guess"),
                    List.of(line(LogLevel.INFO, "x"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.STALE_LEASE))
        .hasMessageNotContaining("epoch 3");
    assertThatThrownBy(
            () ->
                writes.appendLogs(
                    WORKER,
                    new TaskReport(job.id(), 0, 3, null),
                    List.of(line(LogLevel.INFO, "x"))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT))
        .hasMessageContaining("lease_token");
    assertThat(store.counts(job.id())).containsExactly(0, 0, 0);
  }

  @Test
  void batches_are_bounded_and_items_belong_to_the_reporting_task() {
    assertThatThrownBy(() -> writes.appendLogs(WORKER, report, List.of()))
        .hasMessageContaining("lines");
    List<LogLine> tooMany =
        IntStream.range(0, Telemetry.MAX_BATCH + 1)
            .mapToObj(i -> line(LogLevel.INFO, "l"))
            .toList();
    assertThatThrownBy(() -> writes.appendLogs(WORKER, report, tooMany))
        .hasMessageContaining("at most 1000");
    assertThatThrownBy(
            () ->
                writes.appendLogs(
                    WORKER, report, List.of(new LogLine(T0, LogLevel.INFO, null, "m", null, 1))))
        .hasMessageContaining("task_index");
  }

  @Test
  void retention_keeps_the_newest_logs_errors_and_output() {
    for (int batch = 0; batch < 11; batch++) {
      List<LogLine> lines = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        lines.add(line(i % 10 == 0 ? LogLevel.ERROR : LogLevel.INFO, batch + "-" + i));
      }
      writes.appendLogs(WORKER, report, lines);
      writes.appendOutput(
          WORKER, report, List.of(new OutputRecord(T0, "sink_1", 0, "{\"b\":" + batch + "}")));
    }
    writes.appendOutput(
        WORKER,
        report,
        IntStream.range(0, 1000)
            .mapToObj(i -> new OutputRecord(T0, "sink_1", 0, "{\"i\":" + i + "}"))
            .toList());
    assertThat(store.counts(job.id()))
        .containsExactly(
            Telemetry.MAX_LOG_LINES, Telemetry.MAX_ERRORS, Telemetry.MAX_OUTPUT_RECORDS);
    var first = reads.logs(VIEWER, job.id(), new LogFilter(null, null, null, null, null, 1, 0));
    assertThat(first.items().get(0).value().message()).isEqualTo("1-0");
    var out = reads.output(VIEWER, job.id(), null, 1, 0);
    assertThat(out.items().get(0).value().recordJson()).isEqualTo("{\"i\":0}");
  }

  @Test
  void reads_hide_jobs_of_other_projects_and_need_read_access() {
    assertThatThrownBy(() -> reads.metrics(ETL_ONLY, job.id()))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND));
    assertThatThrownBy(() -> reads.checkpoints(WORKER, job.id(), null, 10, 0))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThatThrownBy(() -> reads.checkpoint(VIEWER, JobId.random(), "c"))
        .isInstanceOf(DomainException.class);
  }

  @Test
  void checkpoints_metrics_errors_and_eta_round_trip() {
    writes.recordCheckpoint(
        WORKER,
        report,
        new Checkpoint(
            "chk-1", 1, CheckpointState.IN_PROGRESS, T0, null, null, null, null, 0, null));
    writes.recordCheckpoint(
        WORKER,
        report,
        new Checkpoint(
            "chk-1",
            1,
            CheckpointState.COMPLETED,
            T0,
            T0.plusSeconds(1),
            5L,
            "fs",
            "s3://x",
            0,
            null));
    writes.recordCheckpoint(
        WORKER,
        report,
        new Checkpoint(
            "chk-2", 2, CheckpointState.IN_PROGRESS, T0, null, null, null, null, 0, null));
    assertThat(reads.checkpoints(VIEWER, job.id(), null, 10, 0).items())
        .extracting(Checkpoint::id)
        .containsExactly("chk-2", "chk-1");
    assertThat(reads.checkpoints(VIEWER, job.id(), true, 10, 0).items()).hasSize(1);
    assertThat(reads.checkpoint(VIEWER, job.id(), "chk-1").sizeBytes()).isEqualTo(5L);

    writes.reportMetrics(
        WORKER,
        report,
        new MetricsSnapshot(
            new Counters(5, 4, 0, 0, 0, 0, 1.0, null, null, null, null, null), null));
    assertThat(reads.metrics(VIEWER, job.id()).total().recordsIn()).isEqualTo(5);
    assertThatThrownBy(() -> reads.operatorMetrics(VIEWER, job.id(), "nope"))
        .hasMessageContaining("nope");

    writes.reportErrors(
        WORKER,
        report,
        List.of(new JobErrorEntry(T0, ErrorLevel.WARNING, "source_1", 0, "w", "d", "{bad")));
    assertThat(
            reads
                .errors(VIEWER, job.id(), new ErrorFilter(ErrorLevel.ERROR, null, null, 10, 0))
                .items())
        .isEmpty();

    assertThat(reads.estimatedSecondsRemaining(VIEWER, job.id())).isNull();
    writes.recordProgress(WORKER, report, new ProgressSample(T0, 0, 10));
    writes.recordProgress(WORKER, report, new ProgressSample(T0.plusSeconds(10), 0, 20));
    assertThat(reads.estimatedSecondsRemaining(VIEWER, job.id())).isEqualTo(80L);
    assertThat(reads.estimatedSecondsRemaining(VIEWER, List.of(job.id())))
        .containsEntry(job.id(), 80L);
  }

  @Test
  void progress_keeps_the_last_hundred_samples_of_a_run() {
    for (int i = 0; i < 150; i++) {
      writes.recordProgress(WORKER, report, new ProgressSample(T0.plusSeconds(i), 0, i / 2.0));
    }
    // the estimator sees the newest 20 samples: 0.5 %/s at 74.5 % -> 51 s
    assertThat(reads.estimatedSecondsRemaining(VIEWER, job.id())).isEqualTo(51L);
  }
}
