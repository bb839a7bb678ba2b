package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.LongPollClaimsUseCase.LongPollClaim;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase.Submitted;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.service.ClaimWaitLimits;
import io.jobplane.application.service.LongPollClaimsService;
import io.jobplane.application.service.ParkedClaims;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Submits that lease their job to a parked claim in their own transaction, on PostgreSQL. */
class SubmitHandOffIT {

  private static final int WORKERS = 8;
  private static final int SUBMITTERS = 16;
  private static final int JOBS = 400;

  private final PostgresStore store = TestDatabase.store();
  private final StoreServices services = new StoreServices(store);
  private final LongPollClaimsService longPolls =
      new LongPollClaimsService(
          services.worker,
          store.queueBackoffs(),
          store.changeSignals(),
          ClaimWaitLimits.DEFAULTS,
          services.clock);
  private final SubmitJobService submit =
      StoreServices.submitOn(store)
          .clock(services.clock)
          .limits(store.projectLimits())
          .groupCommit(2, 64)
          .parkedClaims(longPolls)
          .build();
  private final ExecutorService pool = Executors.newFixedThreadPool(WORKERS + SUBMITTERS);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    submit.close();
    longPolls.close();
  }

  @Test
  void concurrentSubmitsAndParkedWorkersLeaseEveryJobExactlyOnce() throws Exception {
    Map<JobId, Integer> leased = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicBoolean submitting = new AtomicBoolean(true);
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      String workerId = "w" + w;
      workers.add(
          pool.submit(
              () -> {
                while (submitting.get()) {
                  List<Lease> leases =
                      longPolls
                          .claim(
                              new LongPollClaim(
                                  new ClaimCommand(
                                      services.workerCaller, workerId, "host", null, null, 2, 60),
                                  Duration.ofMillis(500)))
                          .get(30, TimeUnit.SECONDS);
                  for (Lease l : leases) {
                    if (leased.put(l.job().id(), 1) != null) {
                      duplicates.incrementAndGet();
                    }
                  }
                }
                return null;
              }));
    }
    while (longPolls.parkedClaims() < WORKERS) {
      Thread.sleep(10);
    }
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Submitted>> submits = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      SubmitJobCommand command =
          new SubmitJobCommand(services.submitter, JobTestData.aJob().definition(), false, null);
      submits.add(
          pool.submit(
              () -> {
                start.await();
                return submit.submit(command);
              }));
    }
    start.countDown();
    int answeredStarted = 0;
    for (Future<Submitted> f : submits) {
      if (f.get(60, TimeUnit.SECONDS).job().status() == JobStatus.RUNNING) {
        answeredStarted++;
      }
    }
    submitting.set(false);
    for (Future<?> w : workers) {
      w.get(60, TimeUnit.SECONDS);
    }
    for (List<Lease> rest = services.claim("drain", null, 50);
        !rest.isEmpty();
        rest = services.claim("drain", null, 50)) {
      for (Lease l : rest) {
        if (leased.put(l.job().id(), 1) != null) {
          duplicates.incrementAndGet();
        }
      }
    }

    assertThat(duplicates).hasValue(0);
    assertThat(leased).hasSize(JOBS);
    assertThat(answeredStarted).isPositive();
    assertThat(statuses("SELECT status, count(*) FROM jobs GROUP BY status"))
        .isEqualTo(Map.of("RUNNING", (long) JOBS))
        .isEqualTo(statuses("SELECT status, sum(count) FROM job_status_counts GROUP BY status"));
    assertThat(TestDatabase.longs("SELECT count(*) FROM job_tasks WHERE status = 'RUNNING'"))
        .containsExactly((long) JOBS);
    assertThat(
            TestDatabase.longs(
                "SELECT count(*) FROM job_events GROUP BY job_id HAVING count(*) <> 3"))
        .isEmpty();
  }

  @Test
  void aClaimThatFailsInTheSubmitsTransactionRollsItsWritesBackAndTheJobIsStoredOnce()
      throws Exception {
    services.submitted(JobTestData.aJob().withName("older")); // the failing claim leases it first
    SubmitJobService failing =
        StoreServices.submitOn(store)
            .clock(services.clock)
            .parkedClaims(
                (queue, type, project) ->
                    Optional.of(
                        new ParkedClaims.Reservation() {
                          @Override
                          public List<Lease> claim() {
                            assertThat(services.claim("w1", null, 10)).hasSize(2);
                            throw new IllegalStateException("the claim failed after its writes");
                          }

                          @Override
                          public void settle(List<Lease> committed) {
                            assertThat(committed).isEmpty();
                          }
                        }))
            .build();

    Submitted submitted =
        failing.submit(
            new SubmitJobCommand(services.submitter, JobTestData.aJob().definition(), false, null));

    assertThat(submitted.job().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(statuses("SELECT status, count(*) FROM jobs GROUP BY status"))
        .isEqualTo(Map.of("QUEUED", 2L))
        .isEqualTo(statuses("SELECT status, sum(count) FROM job_status_counts GROUP BY status"));
    assertThat(TestDatabase.longs("SELECT count(*) FROM job_tasks WHERE status = 'QUEUED'"))
        .containsExactly(2L);
    assertThat(TestDatabase.longs("SELECT count(*) FROM job_events")).containsExactly(4L);
  }

  private Map<String, Long> statuses(String sql) throws SQLException {
    Map<String, Long> values = new TreeMap<>();
    try (Connection c = store.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        if (rs.getLong(2) != 0) {
          values.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return values;
  }
}
