package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
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
import io.jobplane.domain.telemetry.OperatorKind;
import io.jobplane.domain.telemetry.OperatorMetrics;
import io.jobplane.domain.telemetry.OutputRecord;
import io.jobplane.domain.telemetry.ProgressSample;
import io.jobplane.domain.telemetry.Stored;
import io.jobplane.domain.telemetry.Telemetry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbiTelemetryRepositoryIT {

  private static final Instant T0 = TestJobs.T0;

  private final PostgresStore store = TestDatabase.store();
  private final JobRepository jobs = store.jobRepository();
  private final TelemetryRepository telemetry = store.telemetryRepository();
  private JobId id;

  @BeforeEach
  void freshJob() {
    TestDatabase.reset();
    id = jobs.insert(TestJobs.job().restored()).id();
  }

  private static LogLine line(int task, LogLevel level, String op, Instant at, String message) {
    return new LogLine(at, level, null, message, op, task);
  }

  @Test
  void logs_filter_page_by_cursor_and_trim_to_the_newest_ten_thousand() {
    telemetry.appendLogs(
        id,
        1,
        List.of(
            line(0, LogLevel.INFO, "source_1", T0, "a"),
            line(1, LogLevel.ERROR, null, T0.plusSeconds(1), "b"),
            line(0, LogLevel.WARN, "sink_1", T0.plusSeconds(2), "c")));
    assertThat(messages(new LogFilter(null, null, null, null, null, 10, 0)))
        .containsExactly("a", "b", "c");
    assertThat(messages(new LogFilter(LogLevel.ERROR, null, null, null, null, 10, 0)))
        .containsExactly("b");
    assertThat(messages(new LogFilter(null, 0, null, null, null, 10, 0))).containsExactly("a", "c");
    assertThat(messages(new LogFilter(null, null, "sink_1", null, null, 10, 0)))
        .containsExactly("c");
    assertThat(
            messages(new LogFilter(null, null, null, T0.plusSeconds(1), T0.plusSeconds(2), 10, 0)))
        .containsExactly("b");
    List<Stored<LogLine>> firstTwo =
        telemetry.logs(id, new LogFilter(null, null, null, null, null, 1, 0));
    assertThat(firstTwo).hasSize(2); // limit + 1 tells there is more
    long cursor = firstTwo.get(0).id();
    assertThat(messages(new LogFilter(null, null, null, null, null, 10, cursor)))
        .containsExactly("b", "c");

    for (int batch = 0; batch < 10; batch++) {
      int b = batch;
      telemetry.appendLogs(
          id,
          1,
          IntStream.range(0, 1000)
              .mapToObj(i -> line(0, LogLevel.INFO, null, T0, b + "-" + i))
              .toList());
    }
    assertThat(count("job_logs")).isEqualTo(Telemetry.MAX_LOG_LINES);
    assertThat(messages(new LogFilter(null, null, null, null, null, 1, 0)))
        .first()
        .isEqualTo("0-0");
  }

  @Test
  void errors_are_newest_first_filtered_and_trimmed_to_a_thousand() {
    List<JobErrorEntry> entries = new ArrayList<>();
    for (int i = 0; i < 1005; i++) {
      entries.add(
          new JobErrorEntry(
              T0,
              i % 2 == 0 ? ErrorLevel.ERROR : ErrorLevel.WARNING,
              i % 3 == 0 ? "source_1" : null,
              i % 4,
              "e" + i,
              "details",
              "{\"bad"));
    }
    telemetry.appendErrors(id, 1, entries);
    assertThat(count("job_errors")).isEqualTo(Telemetry.MAX_ERRORS);
    var page = telemetry.errors(id, new ErrorFilter(null, null, null, 2, 0));
    assertThat(page.total()).isEqualTo(1000);
    assertThat(page.items()).extracting(s -> s.value().message()).containsExactly("e1004", "e1003");
    assertThat(page.items().get(0).value().record()).isEqualTo("{\"bad");
    var filtered =
        telemetry.errors(id, new ErrorFilter(ErrorLevel.WARNING, "source_1", 1, 1000, 0));
    assertThat(filtered.items())
        .allSatisfy(
            e -> {
              assertThat(e.value().level()).isEqualTo(ErrorLevel.WARNING);
              assertThat(e.value().operatorId()).isEqualTo("source_1");
              assertThat(e.value().taskIndex()).isEqualTo(1);
            })
        .isNotEmpty();
  }

  @Test
  void checkpoints_upsert_by_id_and_list_newest_epoch_first() {
    var states =
        List.of(
            new Checkpoint.OperatorState(
                "source_1", "Kafka", 10, List.of(new Checkpoint.SubtaskState(0, 10))));
    telemetry.saveCheckpoint(
        id,
        1,
        new Checkpoint(
            "chk-1", 1, CheckpointState.IN_PROGRESS, T0, null, null, null, null, 0, states));
    telemetry.saveCheckpoint(
        id,
        1,
        new Checkpoint(
            "chk-1",
            1,
            CheckpointState.COMPLETED,
            T0,
            T0.plusSeconds(5),
            1024L,
            "filesystem",
            "s3://b/1",
            0,
            states));
    telemetry.saveCheckpoint(
        id,
        1,
        new Checkpoint("chk-2", 2, CheckpointState.FAILED, T0, null, null, null, null, 0, null));
    assertThat(telemetry.checkpoints(id, null, 10, 0).items())
        .extracting(Checkpoint::id)
        .containsExactly("chk-2", "chk-1");
    assertThat(telemetry.checkpoints(id, true, 10, 0).items())
        .extracting(Checkpoint::id)
        .containsExactly("chk-1");
    assertThat(telemetry.checkpoints(id, false, 10, 0).items())
        .extracting(Checkpoint::id)
        .containsExactly("chk-2");
    assertThat(telemetry.checkpoints(id, null, 1, 1).hasMore()).isFalse();
    Checkpoint one = telemetry.checkpoint(id, "chk-1").orElseThrow();
    assertThat(one.state()).isEqualTo(CheckpointState.COMPLETED);
    assertThat(one.sizeBytes()).isEqualTo(1024L);
    assertThat(one.operatorStates()).isEqualTo(states);
    assertThat(telemetry.checkpoint(id, "nope")).isEmpty();
  }

  @Test
  void metrics_keep_the_latest_snapshot_per_task_and_run() {
    MetricsSnapshot first =
        new MetricsSnapshot(
            new Counters(1, 1, 0, 0, 0, 0, null, null, null, null, null, null), null);
    MetricsSnapshot later =
        new MetricsSnapshot(
            new Counters(10, 9, 8, 7, 1, 2, 100.5, 45.0, 120.0, 250.0, 0.15, 5.2),
            List.of(
                new OperatorMetrics(
                    "source_1",
                    "KafkaSource",
                    OperatorKind.SOURCE,
                    new Counters(10, 10, 0, 0, 0, 0, 100.0, null, null, null, null, null))));
    telemetry.saveMetrics(id, 1, 0, first);
    telemetry.saveMetrics(id, 1, 0, later);
    telemetry.saveMetrics(id, 1, 1, first);
    Map<Integer, MetricsSnapshot> run1 = telemetry.metrics(id, 1);
    assertThat(run1).containsOnlyKeys(0, 1);
    assertThat(run1.get(0)).isEqualTo(later);
    assertThat(telemetry.metrics(id, 3)).isEmpty();
    // a new run starts from nothing and the old run's snapshots are dropped
    telemetry.saveMetrics(id, 2, 0, first);
    assertThat(telemetry.metrics(id, 2)).containsOnlyKeys(0);
    assertThat(telemetry.metrics(id, 1)).isEmpty();
  }

  @Test
  void output_pages_oldest_first_by_operator_and_trims_to_a_thousand() {
    telemetry.appendOutput(
        id,
        1,
        IntStream.range(0, 1200)
            .mapToObj(
                i -> new OutputRecord(T0, i % 2 == 0 ? "sink_1" : "sink_2", 0, "{\"i\":" + i + "}"))
            .toList());
    assertThat(count("job_output_records")).isEqualTo(Telemetry.MAX_OUTPUT_RECORDS);
    var page = telemetry.output(id, "sink_1", 2, 1);
    assertThat(page.total()).isEqualTo(500);
    assertThat(page.items())
        .extracting(s -> s.value().recordJson())
        .containsExactly("{\"i\":202}", "{\"i\":204}");
  }

  @Test
  void progress_keeps_a_hundred_samples_per_run_and_reads_the_current_run() {
    for (int i = 0; i < 120; i++) {
      telemetry.appendProgress(id, 1, new ProgressSample(T0.plusSeconds(i), i % 2, i / 2.0));
    }
    telemetry.appendProgress(id, 2, new ProgressSample(T0, 0, 1));
    assertThat(count("job_progress_samples")).isEqualTo(101);
    var samples = telemetry.progress(List.of(id, JobId.random()), 20);
    assertThat(samples).containsOnlyKeys(id);
    assertThat(samples.get(id)).hasSize(40);
    assertThat(samples.get(id).get(19).progress()).isEqualTo(59.0); // newest of task 0
  }

  @Test
  void telemetry_goes_with_its_job() {
    telemetry.appendLogs(id, 1, List.of(line(0, LogLevel.INFO, null, T0, "a")));
    telemetry.saveMetrics(id, 1, 0, new MetricsSnapshot(null, null));
    JobSnapshot job = jobs.findById(id).orElseThrow();
    jobs.delete(id, job.version());
    assertThat(count("job_logs")).isZero();
    assertThat(count("job_metrics")).isZero();
  }

  @Test
  void the_feed_lists_events_after_an_id_by_job_and_project() {
    TimelineFeed feed = store.timelineFeed();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    JobId other = JobId.random();
    Job a = Job.submit(JobId.random(), TestJobs.job().snapshot().definition(), "me", now, "test");
    a.enqueue(now, "test");
    jobs.insert(a);
    var def = TestJobs.job().with(j -> j.project = "etl").snapshot().definition();
    Job b = Job.submit(other, def, "me", now, "test");
    jobs.insert(b);
    List<FeedEvent> all = feed.eventsAfter(0, null, null, 100);
    assertThat(all).hasSize(3);
    assertThat(all).extracting(FeedEvent::id).isSorted();
    assertThat(feed.eventsAfter(all.get(0).id(), null, null, 100)).hasSize(2);
    assertThat(feed.eventsAfter(0, null, Set.of("etl"), 100))
        .singleElement()
        .satisfies(e -> assertThat(e.jobId()).isEqualTo(other));
    assertThat(feed.eventsAfter(0, a.id(), null, 1)).hasSize(1);
    assertThat(feed.eventsAfter(0, null, Set.of(), 10)).isEmpty();
  }

  @Test
  void the_lease_verifier_hands_over_the_current_runs_task_with_its_project() throws SQLException {
    execute("DELETE FROM job_tasks");
    LeaseVerifier leases = store.leaseVerifier();
    task(0, "RUNNING", 3, "now() + interval '1 minute'");
    task(2, "SUCCEEDED", 4, "now() + interval '1 minute'");
    LeaseVerifier.LeasedTask running = leases.lockTask(id, 0).orElseThrow();
    assertThat(running.project()).isEqualTo(TestJobs.job().project);
    assertThat(running.task().epoch()).isEqualTo(3);
    assertThat(running.task().runId()).isEqualTo(1);
    assertThat(leases.lockTask(id, 2).orElseThrow().task().status().name()).isEqualTo("SUCCEEDED");
    assertThat(leases.lockTask(id, 9)).isEmpty();
    assertThat(leases.lockTask(JobId.random(), 0)).isEmpty();
  }

  private void task(int index, String status, long epoch, String expires) throws SQLException {
    // values are constants of this test
    execute(
        "INSERT INTO job_tasks (job_id, run_id, task_index, queue, priority, job_created_at,"
            + " attempt, worker_id, available_at, status, epoch, lease_expires_at)"
            + " VALUES ('"
            + id
            + "', 1, "
            + index
            + ", 'default', 0, now(), 1, 'w-test', now(), '"
            + status
            + "', "
            + epoch
            + ", "
            + expires
            + ")");
  }

  private static void assertReason(Runnable call, DomainException.Reason reason) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DomainException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private List<String> messages(LogFilter filter) {
    return telemetry.logs(id, filter).stream().map(s -> s.value().message()).toList();
  }

  private long count(String table) {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
