package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobSnapshot;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The V11 trigger on the real PostgreSQL: which writes tell the listening servers that a queue
 * gained work (the payload is the queue), and when the earliest retry backoff of a queue ends.
 */
class ClaimSignalsIT {

  private static final Duration QUIET = Duration.ofMillis(300);

  private final PostgresStore store = TestDatabase.store();
  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final SubmitJobService submit = StoreServices.submitOn(store).clock(clock).build();
  private final ControlJobService control =
      new ControlJobService(
          store.jobRepository(),
          store.taskRepository(),
          store.jobLocks(),
          store.workerPresence(),
          store.telemetryRepository(),
          store.transactions(),
          clock,
          WorkloadOutbox.disabled());
  private final WorkerProtocolService worker =
      StoreServices.workerProtocolOn(store).clock(clock).random(() -> 0.5).build();
  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  /** Every queue name a claimable signal carried, in order. */
  private final BlockingQueue<String> queued = new LinkedBlockingQueue<>();

  private AutoCloseable listening;

  @BeforeEach
  void listen() throws Exception {
    TestDatabase.reset();
    listening =
        store
            .changeSignals()
            .listen(
                new ChangeSignals.Listener() {
                  @Override
                  public void workQueued(Set<String> queues) {
                    queued.addAll(queues);
                  }

                  @Override
                  public void resync() {}
                });
    // the listening connection opens on its own thread: wait until it hears the channel
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String heard = null;
    while (!"probe".equals(heard) && System.nanoTime() < until) {
      notifyProbe();
      heard = queued.poll(100, TimeUnit.MILLISECONDS);
    }
    assertThat(heard).as("the listener hears the claimable channel").isEqualTo("probe");
    queued.clear();
  }

  @AfterEach
  void unlisten() throws Exception {
    listening.close();
  }

  private void notifyProbe() throws SQLException {
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("NOTIFY " + PostgresChangeSignals.CLAIMABLE + ", 'probe'");
    }
  }

  private JobSnapshot submitted(JobTestData data, boolean suspended) {
    return submit.submit(new SubmitJobCommand(ci, data.definition(), suspended, null)).job();
  }

  private List<Lease> claim(String queue) {
    return worker.claim(new ClaimCommand(w, "w-1", "host", List.of(queue), null, 10, 30));
  }

  /** The signals that arrive within a quiet period. */
  private List<String> signalled() throws InterruptedException {
    List<String> seen = new ArrayList<>();
    String q;
    while ((q = queued.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      seen.add(q);
    }
    return seen;
  }

  @Test
  void aSubmitSignalsItsQueueOncePerTransaction() throws Exception {
    submitted(JobTestData.aJob().inQueue("gpu").withParallelism(3), false);

    assertThat(signalled()).containsExactly("gpu");
  }

  @Test
  void aSuspendedSubmitSignalsNothingAndItsResumeSignalsTheQueue() throws Exception {
    JobSnapshot job = submitted(JobTestData.aJob().inQueue("etl"), true);
    assertThat(signalled()).isEmpty();

    control.resume(ci, job.id());

    assertThat(signalled()).containsExactly("etl");
  }

  @Test
  void claimsAndReportsOfRunningTasksSignalNothing() throws Exception {
    submitted(JobTestData.aJob().inQueue("etl").withParallelism(2), false);
    assertThat(signalled()).containsExactly("etl");

    List<Lease> leases = claim("etl");
    assertThat(leases).hasSize(2);
    Lease lease = leases.get(0);
    worker.heartbeat(
        new LeaseRef(
            w, lease.job().id(), lease.task().index(), lease.task().epoch(), lease.leaseToken()),
        50,
        null);
    worker.complete(
        new LeaseRef(
            w, lease.job().id(), lease.task().index(), lease.task().epoch(), lease.leaseToken()),
        null,
        null);

    assertThat(signalled()).isEmpty();
  }

  @Test
  void aRetryQueuedAgainSignalsItsQueueAndItsBackoffEndIsTheQueuesNextRetry() throws Exception {
    submitted(JobTestData.aJob().inQueue("etl").withMaxAttempts(3), false);
    assertThat(signalled()).containsExactly("etl");
    assertThat(store.queueBackoffs().nextRetry(List.of("etl"), clock.instant())).isEmpty();
    Lease lease = claim("etl").get(0);

    var requeued =
        worker.fail(
            new LeaseRef(
                w,
                lease.job().id(),
                lease.task().index(),
                lease.task().epoch(),
                lease.leaseToken()),
            new JobError("EXIT_CODE", "exit 1"),
            1,
            true);

    assertThat(signalled()).containsExactly("etl");
    Instant backoffEnds = requeued.availableAt();
    assertThat(backoffEnds).isAfter(clock.instant());
    assertThat(store.queueBackoffs().nextRetry(List.of("other", "etl"), clock.instant()))
        .isEqualTo(Optional.of(backoffEnds));
    assertThat(store.queueBackoffs().nextRetry(List.of("other"), clock.instant())).isEmpty();
    // once it has ended, the backoff is no one's next retry: the task is claimable now
    assertThat(store.queueBackoffs().nextRetry(List.of("etl"), backoffEnds)).isEmpty();
  }

  @Test
  void aRetryOfASuspendedJobIsNoNextRetryUntilTheJobIsResumed() throws Exception {
    JobSnapshot job = submitted(JobTestData.aJob().inQueue("etl").withMaxAttempts(3), false);
    Lease lease = claim("etl").get(0);
    var requeued =
        worker.fail(
            new LeaseRef(
                w,
                lease.job().id(),
                lease.task().index(),
                lease.task().epoch(),
                lease.leaseToken()),
            new JobError("EXIT_CODE", "exit 1"),
            1,
            true);
    control.suspend(ci, job.id());
    signalled();
    assertThat(store.queueBackoffs().nextRetry(List.of("etl"), clock.instant())).isEmpty();

    control.resume(ci, job.id());

    assertThat(signalled()).containsExactly("etl");
    assertThat(store.queueBackoffs().nextRetry(List.of("etl"), clock.instant()))
        .contains(requeued.availableAt());
  }

  @Test
  void aRolledBackSubmitSignalsNothing() throws Exception {
    try {
      store
          .transactions()
          .inTransaction(
              () -> {
                submitted(JobTestData.aJob().inQueue("gpu"), false);
                throw new IllegalStateException("rolled back on purpose");
              });
    } catch (IllegalStateException expected) {
      // the submit and its notes are gone with the transaction
    }

    assertThat(signalled()).isEmpty();
  }

  @Test
  void anotherServerProcessHearsTheQueueThroughNotifyAndThisOneHearsItOnce() throws Exception {
    BlockingQueue<String> heardElsewhere = new LinkedBlockingQueue<>();
    try (PostgresStore other = PostgresStore.open(TestDatabase.config(), null);
        AutoCloseable otherListening =
            other
                .changeSignals()
                .listen(
                    new ChangeSignals.Listener() {
                      @Override
                      public void workQueued(Set<String> queues) {
                        heardElsewhere.addAll(queues);
                      }

                      @Override
                      public void resync() {}
                    })) {
      // the other process's listening connection opens on its own thread
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      String probe = null;
      while (!"probe".equals(probe) && System.nanoTime() < until) {
        notifyProbe();
        probe = heardElsewhere.poll(100, TimeUnit.MILLISECONDS);
      }
      assertThat(probe).isEqualTo("probe");
      heardElsewhere.clear();
      signalled();

      submitted(JobTestData.aJob().inQueue("gpu"), false);

      assertThat(heardElsewhere.poll(10, TimeUnit.SECONDS)).isEqualTo("gpu");
      // this process heard it when the commit returned, and does not hear its own NOTIFY again
      assertThat(signalled()).containsExactly("gpu");
    }
  }

  @Test
  void theNextRetryReadIsServedByThePartialBackoffIndex() throws Exception {
    String sql =
        "EXPLAIN " + JdbiQueueBackoffs.NEXT_RETRY.replace(":queues", "?").replace(":now", "?");
    StringBuilder plan = new StringBuilder();
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        // an empty table makes any plan cheapest; what matters is that the index can serve it
        s.execute("SET LOCAL enable_seqscan = off");
      }
      try (var ps = c.prepareStatement(sql)) {
        ps.setArray(1, c.createArrayOf("text", new String[] {"etl", "gpu"}));
        ps.setObject(2, java.time.OffsetDateTime.now());
        try (var rs = ps.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
      }
      c.rollback();
    }
    assertThat(plan.toString()).contains("job_tasks_backoff_idx");
  }
}
