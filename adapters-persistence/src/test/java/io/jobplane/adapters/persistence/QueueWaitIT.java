package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskRepository.WorkerPresence;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.QueueWait;
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

/** Worker presence (V5) and queue positions on the real PostgreSQL. */
class QueueWaitIT {

  private final PostgresStore store = TestDatabase.store();
  private final TaskRepository tasks = store.taskRepository();
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

  private List<Lease> claim(String workerId, List<String> queues, int max) {
    return worker.claim(new ClaimCommand(w, workerId, "host-" + workerId, queues, null, max, 30));
  }

  @Test
  void a_claim_upserts_the_workers_row_in_its_transaction() throws Exception {
    submitted(JobTestData.aJob());
    claim("w-1", List.of("default", "gpu"), 4);
    clock.advance(Duration.ofSeconds(5));
    claim("w-1", List.of("gpu"), 2);

    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT worker_id, hostname, queues, first_seen_at, last_seen_at,"
                    + " tasks_requested, tasks_leased FROM workers")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("worker_id")).isEqualTo("w-1");
      assertThat(rs.getString("hostname")).isEqualTo("host-w-1");
      assertThat((String[]) rs.getArray("queues").getArray()).containsExactly("gpu");
      assertThat(rs.getTimestamp("last_seen_at").toInstant()).isEqualTo(clock.instant());
      assertThat(rs.getTimestamp("first_seen_at").toInstant())
          .isEqualTo(clock.instant().minusSeconds(5));
      assertThat(rs.getInt("tasks_requested")).isEqualTo(2);
      assertThat(rs.getInt("tasks_leased")).isZero();
      assertThat(rs.next()).isFalse();
    }
  }

  @Test
  void active_workers_count_those_that_polled_the_queue_within_the_window() {
    Instant now = clock.instant();
    tasks.recordWorker(new WorkerPresence("a", null, List.of("default"), 1, 0, now));
    tasks.recordWorker(new WorkerPresence("b", "h", List.of("gpu", "default"), 1, 1, now));
    tasks.recordWorker(
        new WorkerPresence("old", null, List.of("default"), 1, 0, now.minusSeconds(31)));
    Instant since = now.minus(QueueWait.ACTIVE_WINDOW);
    assertThat(tasks.activeWorkers("default", since)).isEqualTo(2);
    assertThat(tasks.activeWorkers("gpu", since)).isEqualTo(1);
    assertThat(tasks.activeWorkers("other", since)).isZero();
  }

  @Test
  void the_position_counts_claimable_tasks_ahead_by_priority_age_and_backoff() {
    JobSnapshot oldLow = submitted(JobTestData.aJob().withPriority(1));
    JobSnapshot high = submitted(JobTestData.aJob().withPriority(5).withParallelism(3));
    JobSnapshot mine = submitted(JobTestData.aJob().withPriority(1).withParallelism(2));
    JobSnapshot newer = submitted(JobTestData.aJob().withPriority(1));
    submitted(JobTestData.aJob().withPriority(9).inQueue("gpu"));
    Instant now = clock.instant();

    // 3 tasks of the high job, 1 of the older low job; not newer ones, not other queues
    assertThat(tasks.tasksAhead(mine.id(), mine.runId(), now, 10_000)).isEqualTo(4);
    assertThat(tasks.tasksAhead(mine.id(), mine.runId(), now, 2)).isEqualTo(2);
    assertThat(tasks.tasksAhead(high.id(), high.runId(), now, 10_000)).isZero();
    assertThat(tasks.tasksAhead(newer.id(), newer.runId(), now, 10_000)).isEqualTo(6);

    // the older job fails retryably: in backoff it is not claimable, so not ahead
    Lease lease = claim("w", List.of("default"), 4).get(3);
    assertThat(lease.job().id()).isEqualTo(oldLow.id());
    worker.fail(
        new LeaseRef(w, oldLow.id(), 0, lease.task().epoch()),
        new JobError("EXIT_CODE", "exit code 1"),
        1,
        true);
    assertThat(tasks.tasksAhead(mine.id(), mine.runId(), now, 10_000)).isZero();
    QueueWait backoff = worker.waiting(ci, oldLow.id()).orElseThrow();
    assertThat(backoff.reason()).isEqualTo(QueueWait.Reason.BACKOFF);
    assertThat(backoff.activeWorkers()).isEqualTo(1);
    assertThat(backoff.until()).isAfter(clock.instant());

    QueueWait next = worker.waiting(ci, mine.id()).orElseThrow();
    assertThat(next.reason()).isEqualTo(QueueWait.Reason.NEXT);
    assertThat(next.position()).isEqualTo(1);
    QueueWait busy = worker.waiting(ci, newer.id()).orElseThrow();
    assertThat(busy.reason()).isEqualTo(QueueWait.Reason.WORKERS_BUSY);
    assertThat(busy.position()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(31)); // backoff over; the worker is no longer active
    assertThat(tasks.tasksAhead(mine.id(), mine.runId(), clock.instant(), 10_000)).isEqualTo(1);
    QueueWait none = worker.waiting(ci, mine.id()).orElseThrow();
    assertThat(none.reason()).isEqualTo(QueueWait.Reason.NO_WORKER);
    assertThat(none.position()).isEqualTo(2);
  }
}
