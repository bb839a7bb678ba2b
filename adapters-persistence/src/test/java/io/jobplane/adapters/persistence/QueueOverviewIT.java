package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.QueueOverviewReader;
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
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queues overview's reads (V17 and the indexes it shares) on the real PostgreSQL. */
class QueueOverviewIT {

  private final PostgresStore store = TestDatabase.store();
  private final QueueOverviewReader reader = store.queueOverview();
  private final StoreServices services = new StoreServices(store);
  private final MutableClock clock = services.clock;
  private final WorkerProtocolService worker = services.worker;

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private List<QueueCounts> read(Set<String> projects) {
    Instant now = clock.instant();
    return reader.read(projects, now.minus(QueueWait.ACTIVE_WINDOW), now, 100);
  }

  @Test
  void countsQueuedRunningSuspendedAndBackoffPerProjectAndQueueWithItsActiveWorkers() {
    JobSnapshot oldest = services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    JobSnapshot suspended =
        services
            .submit
            .submit(
                new SubmitJobCommand(
                    services.submitter,
                    JobTestData.aJob().inProject("etl").inQueue("gpu").definition(),
                    true,
                    null))
            .job();
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("cpu"));

    // the worker claims the two oldest etl/gpu jobs (ml's comes later: fair share would serve
    // it before etl's second)...
    List<Lease> leases = services.claim("w-1", List.of("gpu"), 2);
    assertThat(leases).hasSize(2);
    services.submitted(JobTestData.aJob().inProject("ml").inQueue("gpu"));
    Lease first = leases.get(0);
    assertThat(first.job().id()).isEqualTo(oldest.id());
    // ...and the oldest fails retryably: QUEUED again, in backoff
    worker.fail(
        new LeaseRef(
            services.workerCaller, oldest.id(), 0, first.task().epoch(), first.leaseToken()),
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
    services.submitted(JobTestData.aJob().inProject("etl").inQueue("gpu"));
    services.submitted(JobTestData.aJob().inProject("ml").inQueue("gpu"));
    assertThat(read(Set.of("ml"))).extracting(QueueCounts::project).containsExactly("ml");
    assertThat(read(Set.of())).isEmpty();
  }

  @Test
  void finishedJobsAndWorkersSeenLongAgoCountForNothing() {
    JobSnapshot stopped = services.submitted(JobTestData.aJob().inQueue("old"));
    services.control.stop(
        new StopJobCommand(services.submitter, stopped.id(), StopMode.GRACEFUL, null));
    services.submitted(JobTestData.aJob().inQueue("idle"));
    services.claim("w-1", List.of("idle-too"), 1);
    clock.advance(QueueWait.ACTIVE_WINDOW.plusSeconds(1));

    List<QueueCounts> all = read(null);
    assertThat(all).extracting(QueueCounts::queue).containsExactly("idle");
    assertThat(all.get(0).activeWorkers()).isZero();
  }

  @Test
  void theListStopsAtTheLimit() {
    for (int i = 0; i < 5; i++) {
      services.submitted(JobTestData.aJob().inQueue("q" + i));
    }
    Instant now = clock.instant();
    assertThat(reader.read(null, now, now, 3))
        .extracting(QueueCounts::queue)
        .containsExactly("q0", "q1", "q2");
  }

  @Test
  void theJobCountsAreAnIndexOnlyReadOfUnfinishedJobs() throws Exception {
    services.submitted(JobTestData.aJob().inQueue("gpu"));
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
