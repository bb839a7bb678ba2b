package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerPresence.Sighting;
import io.jobplane.application.security.Caller;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worker presence (V5) and queue positions on the real PostgreSQL. */
class QueueWaitIT {

  private final PostgresStore store = TestDatabase.store();
  private final WorkerPresence presence = store.workerPresence();
  private final QueuePositions positions = store.queuePositions();
  private final StoreServices services = new StoreServices(store);
  private final MutableClock clock = services.clock;
  private final WorkerProtocolService worker = services.worker;
  private final ControlJobService control = services.control;
  private final Caller ci = services.submitter;
  private final Caller w = services.workerCaller;

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobSnapshot submitted(JobTestData data) {
    return services.submitted(data);
  }

  private List<Lease> claim(String workerId, List<String> queues, int max) {
    return services.claim(workerId, queues, max);
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
    presence.recordWorker(new Sighting("a", null, List.of("default"), 1, 0, now));
    presence.recordWorker(new Sighting("b", "h", List.of("gpu", "default"), 1, 1, now));
    presence.recordWorker(
        new Sighting("old", null, List.of("default"), 1, 0, now.minusSeconds(31)));
    Instant since = now.minus(QueueWait.ACTIVE_WINDOW);
    assertThat(presence.activeWorkers("default", since)).isEqualTo(2);
    assertThat(presence.activeWorkers("gpu", since)).isEqualTo(1);
    assertThat(presence.activeWorkers("other", since)).isZero();
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
    assertThat(positions.tasksAhead(mine.id(), mine.runId(), now, 10_000)).isEqualTo(4);
    assertThat(positions.tasksAhead(mine.id(), mine.runId(), now, 2)).isEqualTo(2);
    assertThat(positions.tasksAhead(high.id(), high.runId(), now, 10_000)).isZero();
    assertThat(positions.tasksAhead(newer.id(), newer.runId(), now, 10_000)).isEqualTo(6);

    // the older job fails retryably: in backoff it is not claimable, so not ahead
    Lease lease = claim("w", List.of("default"), 4).get(3);
    assertThat(lease.job().id()).isEqualTo(oldLow.id());
    worker.fail(
        new LeaseRef(w, oldLow.id(), 0, lease.task().epoch(), lease.leaseToken()),
        new JobError("EXIT_CODE", "exit code 1"),
        1,
        true);
    assertThat(positions.tasksAhead(mine.id(), mine.runId(), now, 10_000)).isZero();
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
    assertThat(positions.tasksAhead(mine.id(), mine.runId(), clock.instant(), 10_000)).isEqualTo(1);
    QueueWait none = worker.waiting(ci, mine.id()).orElseThrow();
    assertThat(none.reason()).isEqualTo(QueueWait.Reason.NO_WORKER);
    assertThat(none.position()).isEqualTo(2);
  }

  /**
   * Queues {@code count} QUEUED jobs of one task each in queue "bulk" straight through SQL (the
   * triggers run as for any writer): job n (1-based) is created n ms after the first and has
   * priority {@code highPriorityFrom <= n ? 5 : 1}. Returns the ids in n order.
   */
  private List<JobId> bulkQueued(int count, int highPriorityFrom) throws Exception {
    Instant first = clock.instant().minus(Duration.ofHours(1));
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement jobs =
            c.prepareStatement(
                "INSERT INTO jobs (id, name, search_name, type, project, input, max_attempts,"
                    + " priority, queue, runtime, parallelism, status, run_id, attempt,"
                    + " created_by, created_at, updated_at, queued_at, desired_state, version)"
                    + " SELECT gen_random_uuid(), 'bulk ' || n, 'bulk ' || n, 'etl', 'p', '{}',"
                    + " 1, CASE WHEN n >= ? THEN 5 ELSE 1 END, 'bulk', 'WORKER', 1, 'QUEUED',"
                    + " 1, 1, 'it', t, t, t, 'RUNNING', 1"
                    + " FROM generate_series(1, ?) AS n,"
                    + " LATERAL (SELECT CAST(? AS timestamptz)"
                    + " + make_interval(secs => n / 1000.0) AS t) created");
        Statement s = c.createStatement()) {
      jobs.setInt(1, highPriorityFrom);
      jobs.setInt(2, count);
      jobs.setTimestamp(3, Timestamp.from(first));
      jobs.executeUpdate();
      s.executeUpdate(
          "INSERT INTO job_tasks (job_id, run_id, task_index, queue, priority, job_created_at,"
              + " status, attempt, epoch, available_at)"
              + " SELECT id, 1, 0, queue, priority, created_at, 'QUEUED', 1, 0, created_at"
              + " FROM jobs WHERE queue = 'bulk'");
      List<JobId> ids = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("SELECT id FROM jobs WHERE queue = 'bulk' ORDER BY created_at")) {
        while (rs.next()) {
          ids.add(new JobId(rs.getObject(1, UUID.class)));
        }
      }
      return ids;
    }
  }

  private QueueWait waitingOf(JobId id) {
    return worker.waiting(ci, id).orElseThrow();
  }

  @Test
  void in_a_queue_of_1200_positions_are_exact_up_to_the_cap_and_a_lower_bound_past_it()
      throws Exception {
    // jobs 1..1100 at priority 1 in creation order, then 100 newer ones at priority 5
    List<JobId> ids = bulkQueued(1_200, 1_101);
    JobId firstLow = ids.get(0);

    // priority first: the newest high-priority jobs are ahead of every older low one
    assertThat(waitingOf(ids.get(1_100)).position()).isEqualTo(1);
    assertThat(waitingOf(ids.get(1_100)).reason()).isEqualTo(QueueWait.Reason.NO_WORKER);
    assertThat(waitingOf(ids.get(1_199)).position()).isEqualTo(100);
    assertThat(waitingOf(firstLow).position()).isEqualTo(101);
    // job n (1-based, low priority) has 100 + n - 1 ahead
    for (int n : new int[] {2, 500, 899, 900}) {
      QueueWait wait = waitingOf(ids.get(n - 1));
      assertThat(wait.position()).as("job %d", n).isEqualTo(100L + n);
      assertThat(wait.positionIsLowerBound()).as("job %d", n).isFalse();
    }
    // 1,000 ahead and more: the count stops at the cap
    for (int n : new int[] {901, 1_000, 1_100}) {
      QueueWait wait = waitingOf(ids.get(n - 1));
      assertThat(wait.position()).as("job %d", n).isEqualTo(QueueWait.POSITION_CAP);
      assertThat(wait.positionIsLowerBound()).as("job %d", n).isTrue();
    }
    assertThat(positions.tasksAhead(ids.get(1_099), 1, clock.instant(), 5_000)).isEqualTo(1_199);

    // a suspended job ahead is not counted (V8's trigger on jobs), and counts again once resumed
    control.suspend(ci, firstLow);
    QueueWait exact = waitingOf(ids.get(900));
    assertThat(exact.position()).isEqualTo(1_000);
    assertThat(exact.positionIsLowerBound()).isFalse();
    control.resume(ci, firstLow);
    assertThat(waitingOf(ids.get(900)).positionIsLowerBound()).isTrue();

    // stopped: its task stops; restarted: run 2's task is ahead again (the job keeps its age)
    JobId second = ids.get(1);
    control.stop(new StopJobCommand(ci, second, StopMode.GRACEFUL, null));
    assertThat(waitingOf(ids.get(2)).position()).isEqualTo(102);
    control.restart(new RestartJobCommand(ci, second, null, null));
    assertThat(waitingOf(ids.get(2)).position()).isEqualTo(103);
    assertThat(waitingOf(second).position()).isEqualTo(102);
  }

  @Test
  void the_claimable_flag_follows_the_job_whoever_writes_it() throws Exception {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(2));
    control.suspend(ci, job.id());
    assertThat(claimableTasks(job.id())).isZero();
    control.resume(ci, job.id());
    assertThat(claimableTasks(job.id())).isEqualTo(2);
    claim("w", List.of("default"), 1); // QUEUED -> RUNNING job: its other task stays claimable
    assertThat(claimableTasks(job.id())).isEqualTo(1);
    control.stop(new StopJobCommand(ci, job.id(), StopMode.GRACEFUL, null));
    assertThat(claimableTasks(job.id())).isZero();
  }

  /** The job's tasks that V8's position index holds. */
  private long claimableTasks(JobId id) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*) FROM job_tasks"
                    + " WHERE job_id = ? AND status = 'QUEUED' AND job_claimable")) {
      s.setObject(1, id.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
