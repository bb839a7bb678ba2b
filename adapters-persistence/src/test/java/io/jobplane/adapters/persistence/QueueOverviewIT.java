package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.QueueCounts;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queues overview's reads (V17 and the indexes it shares) on the real PostgreSQL. */
class QueueOverviewIT {

  private final PostgresStore store = TestDatabase.store();
  private final QueueOverviewReader reader = store.queueOverview();
  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final SubmitJobService submit =
      new SubmitJobService(
          store.jobRepository(),
          store.taskRepository(),
          store.idempotencyKeys(),
          store.transactions(),
          clock);
  private final WorkerProtocolService worker =
      new WorkerProtocolService(
          store.jobRepository(),
          store.taskRepository(),
          store.jobViewReader(),
          store.telemetryRepository(),
          store.transactions(),
          clock,
          () -> 0.5);
  private final ControlJobService control =
      new ControlJobService(
          store.jobRepository(),
          store.taskRepository(),
          store.telemetryRepository(),
          store.transactions(),
          clock);
  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobSnapshot submitted(JobTestData data) {
    JobSnapshot job = submit.submit(new SubmitJobCommand(ci, data.definition(), false, null)).job();
    clock.advance(Duration.ofMillis(10));
    return job;
  }

  private List<Lease> claim(List<String> queues, int max) {
    return worker.claim(new ClaimCommand(w, "w-1", "host-1", queues, null, max, 30));
  }

  private List<QueueCounts> read(Set<String> projects) {
    Instant now = clock.instant();
    return reader.read(projects, now.minus(QueueWait.ACTIVE_WINDOW), now, 100);
  }

  @Test
  void countsQueuedRunningSuspendedAndBackoffPerProjectAndQueueWithItsActiveWorkers() {
    JobSnapshot oldest = submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    JobSnapshot suspended =
        submit
            .submit(
                new SubmitJobCommand(
                    ci,
                    JobTestData.aJob().inProject("etl").inQueue("gpu").definition(),
                    true,
                    null))
            .job();
    submitted(JobTestData.aJob().inProject("ml").inQueue("gpu"));
    submitted(JobTestData.aJob().inProject("etl").inQueue("cpu"));

    // the worker claims the two oldest etl/gpu jobs (ml's is newer, same priority)...
    List<Lease> leases = claim(List.of("gpu"), 2);
    assertThat(leases).hasSize(2);
    Lease first = leases.get(0);
    assertThat(first.job().id()).isEqualTo(oldest.id());
    // ...and the oldest fails retryably: QUEUED again, in backoff
    worker.fail(
        new LeaseRef(w, oldest.id(), 0, first.task().epoch(), first.leaseToken()),
        new JobError("EXIT_CODE", "exit code 1"),
        1,
        true);

    List<QueueCounts> all = read(null);
    assertThat(all)
        .extracting(c -> c.project() + "/" + c.queue())
        .containsExactly("etl/cpu", "etl/gpu", "ml/gpu");
    QueueCounts etlGpu = all.get(1);
    assertThat(etlGpu.waiting().queued()).isEqualTo(2); // the retried one and the unclaimed third
    assertThat(etlGpu.waiting().inBackoff()).isEqualTo(1);
    assertThat(etlGpu.waiting().suspended()).isEqualTo(1);
    assertThat(etlGpu.running()).isEqualTo(1);
    assertThat(etlGpu.activeWorkers()).isEqualTo(1);
    assertThat(etlGpu.waiting().oldestQueuedAt()).isNotNull();
    QueueCounts etlCpu = all.get(0);
    assertThat(etlCpu.activeWorkers()).isZero();
    assertThat(etlCpu.waiting().queued()).isEqualTo(1);
    assertThat(suspended.status().name()).isEqualTo("SUSPENDED");
  }

  @Test
  void onlyTheAskedProjectsAreRead() {
    submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    submitted(JobTestData.aJob().inProject("ml").inQueue("gpu"));
    assertThat(read(Set.of("ml"))).extracting(QueueCounts::project).containsExactly("ml");
    assertThat(read(Set.of())).isEmpty();
  }

  @Test
  void finishedJobsAndWorkersSeenLongAgoCountForNothing() {
    JobSnapshot stopped = submitted(JobTestData.aJob().inQueue("old"));
    control.stop(new StopJobCommand(ci, stopped.id(), StopMode.GRACEFUL, null));
    submitted(JobTestData.aJob().inQueue("idle"));
    claim(List.of("idle-too"), 1);
    clock.advance(QueueWait.ACTIVE_WINDOW.plusSeconds(1));

    List<QueueCounts> all = read(null);
    assertThat(all).extracting(QueueCounts::queue).containsExactly("idle");
    assertThat(all.get(0).activeWorkers()).isZero();
  }

  @Test
  void theListStopsAtTheLimit() {
    for (int i = 0; i < 5; i++) {
      submitted(JobTestData.aJob().inQueue("q" + i));
    }
    Instant now = clock.instant();
    assertThat(reader.read(null, now, now, 3))
        .extracting(QueueCounts::queue)
        .containsExactly("q0", "q1", "q2");
  }

  @Test
  void theJobCountsAreAnIndexOnlyReadOfUnfinishedJobs() throws Exception {
    submitted(JobTestData.aJob().inQueue("gpu"));
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ANALYZE jobs");
      s.execute("SET enable_seqscan = off");
      String sql =
          JdbiQueueOverviewReader.JOBS
              .replace("CAST(:projects AS text[])", "CAST(NULL AS text[])")
              .replace(":limit", "100");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString()).contains("jobs_unfinished_queue_idx");
    }
  }
}
