package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ReportOutcome;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TimelineEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched leases on the real PostgreSQL (issue 11): a claim of many tasks and a batch of many
 * reports, each one transaction of a fixed number of statements, fenced per lease.
 */
class BatchedLeasesIT {

  private final PostgresStore store = TestDatabase.store();
  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final SubmitJobService submit = submitService(store);
  private final WorkerProtocolService worker = workerService(store);

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  private SubmitJobService submitService(PostgresStore s) {
    return StoreServices.submitOn(s).clock(clock).build();
  }

  private WorkerProtocolService workerService(PostgresStore s) {
    return StoreServices.workerProtocolOn(s).clock(clock).random(() -> 0.5).build();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobSnapshot submitted(JobTestData data) {
    return submit.submit(new SubmitJobCommand(ci, data.definition(), false, null)).job();
  }

  private List<Lease> claim(WorkerProtocolService service, Caller caller, String id, int max) {
    return service.claim(new ClaimCommand(caller, id, "host-" + id, null, null, max, 30));
  }

  private static TaskReport lease(Lease l) {
    return new TaskReport(l.job().id(), l.task().index(), l.task().epoch(), l.leaseToken());
  }

  private static LeaseReport complete(TaskReport lease) {
    return new LeaseReport.Complete(lease, "{\"done\":true}", true);
  }

  private JobSnapshot job(JobId id) {
    return store.jobRepository().findById(id).orElseThrow();
  }

  private List<TaskState> tasks(JobId id) {
    return store.taskRepository().forRun(id, job(id).runId());
  }

  @Test
  void a_stale_lease_in_a_batch_report_is_refused_alone_and_the_others_are_accepted() {
    List<JobId> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(submitted(JobTestData.aJob().withPriority(9 - i)).id());
    }
    List<Lease> leases = claim(worker, w, "w1", 3);
    JobSnapshot staleJobBefore = job(ids.get(1));
    List<TaskState> staleTasksBefore = tasks(ids.get(1));
    Lease stale = leases.get(1);

    List<ReportOutcome> outcomes =
        worker.report(
            w,
            List.of(
                complete(lease(leases.get(0))),
                complete(
                    new TaskReport(
                        stale.job().id(), 0, stale.task().epoch() - 1, stale.leaseToken())),
                new LeaseReport.Heartbeat(lease(leases.get(2)), 70, null, null, "70 %")));

    assertThat(outcomes).extracting(ReportOutcome::isAccepted).containsExactly(true, false, true);
    assertThat(outcomes.get(1).refusal().reason()).isEqualTo(DomainException.Reason.STALE_LEASE);
    assertThat(job(ids.get(0)).status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job(ids.get(1))).as("the refused report changed nothing").isEqualTo(staleJobBefore);
    assertThat(tasks(ids.get(1))).isEqualTo(staleTasksBefore);
    assertThat(job(ids.get(2)).progress()).isEqualTo(70);
    assertThat(tasks(ids.get(2)).get(0).leaseExpiresAt())
        .isEqualTo(clock.instant().plusSeconds(30));
    assertThat(store.telemetryRepository().newestLogId(ids.get(2), false)).isPositive();
    assertThat(store.jobRepository().timeline(ids.get(0), 10, 0).items())
        .extracting(TimelineEvent::type)
        .endsWith(EventType.STARTED, EventType.SUCCEEDED);
    // the refused lease is still the current one: the worker that holds it can still complete
    assertThat(worker.report(w, List.of(complete(lease(stale)))).get(0).isAccepted()).isTrue();
  }

  @Test
  void a_job_of_another_project_in_a_batch_is_not_found_and_reveals_nothing() {
    JobSnapshot theirs = submitted(JobTestData.aJob().inProject("billing").withPriority(9));
    Lease theirLease = claim(worker, w, "w-any", 1).get(0);
    JobSnapshot mine = submitted(JobTestData.aJob().inProject("etl"));
    Caller etl = new Caller("etl-worker", Set.of(Role.WORKER), Set.of("etl"));
    Lease myLease = claim(worker, etl, "w-etl", 5).get(0);
    assertThat(myLease.job().id()).isEqualTo(mine.id());
    List<TaskState> theirTasks = tasks(theirs.id());

    List<ReportOutcome> outcomes =
        worker.report(
            etl,
            List.of(
                complete(
                    new TaskReport(
                        theirs.id(), 0, theirLease.task().epoch() + 7, theirLease.leaseToken())),
                complete(lease(theirLease)),
                complete(new TaskReport(JobId.random(), 0, 1, myLease.leaseToken())),
                complete(lease(myLease))));

    for (ReportOutcome o : outcomes.subList(0, 3)) {
      assertThat(o.isAccepted()).isFalse();
      assertThat(o.refusal().reason()).isEqualTo(DomainException.Reason.NOT_FOUND);
      assertThat(o.refusal()).hasMessage("job not found");
    }
    assertThat(outcomes.get(3).isAccepted()).isTrue();
    assertThat(tasks(theirs.id())).isEqualTo(theirTasks);
    assertThat(job(mine.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void a_claim_and_a_batch_cost_as_many_statements_for_ten_jobs_as_for_one() {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (PostgresStore counted = PostgresStore.open(TestDatabase.config(), registry)) {
      SubmitJobService countedSubmit = submitService(counted);
      WorkerProtocolService countedWorker = workerService(counted);
      Supplier<Double> statements =
          () -> registry.get("jobplane.database.statements").counter().count();
      long[] claims = new long[2];
      long[] reports = new long[2];
      int[] sizes = {1, 10};
      for (int round = 0; round < 2; round++) {
        TestDatabase.reset();
        for (int i = 0; i < sizes[round]; i++) {
          countedSubmit.submit(
              new SubmitJobCommand(ci, JobTestData.aJob().definition(), false, null));
        }
        double before = statements.get();
        // a worker of its own each round: a worker's presence is written at most once a second
        List<Lease> leases = claim(countedWorker, w, "w-round-" + round, 10);
        claims[round] = Math.round(statements.get() - before);
        assertThat(leases).hasSize(sizes[round]);

        before = statements.get();
        List<ReportOutcome> outcomes =
            countedWorker.report(
                w, leases.stream().map(l -> complete(lease(l))).collect(Collectors.toList()));
        reports[round] = Math.round(statements.get() - before);
        assertThat(outcomes).allMatch(ReportOutcome::isAccepted);
      }
      assertThat(claims[1]).as("statements of a claim of 10 vs 1").isEqualTo(claims[0]);
      assertThat(reports[1]).as("statements of a batch of 10 vs 1").isEqualTo(reports[0]);
      // the claim's reads grew with issue 16 (the limited projects of its queues, the broadcasts
      // it may join, once a second per worker) and issue 11 (the SET LOCAL that keeps its plans
      // cached); what matters is that they do not grow with the number of jobs
      assertThat(claims[0]).as("statements counted").isBetween(1L, 10L);
    }
  }

  @Test
  void two_batches_over_the_same_jobs_in_opposite_orders_never_deadlock() throws Exception {
    for (int i = 0; i < 20; i++) {
      submitted(JobTestData.aJob());
    }
    List<Lease> leases = claim(worker, w, "w1", 20);
    List<LeaseReport> forward = new ArrayList<>();
    leases.forEach(l -> forward.add(new LeaseReport.Heartbeat(lease(l), 10, null, null, null)));
    List<LeaseReport> backward = new ArrayList<>(forward);
    Collections.reverse(backward);

    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> runs = new ArrayList<>();
    for (List<LeaseReport> batch : List.of(forward, backward)) {
      runs.add(
          threads.submit(
              () -> {
                start.await();
                int accepted = 0;
                for (int n = 0; n < 50; n++) {
                  accepted +=
                      (int)
                          worker.report(w, batch).stream()
                              .filter(ReportOutcome::isAccepted)
                              .count();
                }
                return accepted;
              }));
    }
    start.countDown();
    for (Future<Integer> run : runs) {
      assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(50 * 20);
    }
    threads.shutdownNow();
  }

  @Test
  void eight_workers_claiming_ten_and_reporting_in_batches_lose_nothing_and_double_nothing()
      throws Exception {
    // four projects and three types, so claims and batches move jobs of many status count rows:
    // without JdbiJobRepository.updateAll taking them in key order first, this deadlocks
    int jobs = 400;
    int total = 0;
    Random random = new Random(11);
    for (int i = 0; i < jobs; i++) {
      int parallelism = 1 + random.nextInt(3);
      total += parallelism;
      submitted(
          JobTestData.aJob()
              .inProject("p" + (i % 4))
              .withType("t" + (i % 3))
              .withPriority(i % 5)
              .withParallelism(parallelism));
    }
    int tasks = total;
    record Claim(JobId job, int task, int attempt) {}
    ConcurrentLinkedQueue<Claim> ledger = new ConcurrentLinkedQueue<>();
    AtomicInteger done = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int n = 0; n < 8; n++) {
      String id = "w" + n;
      workers.add(
          threads.submit(
              () -> {
                start.await();
                while (done.get() < tasks && System.nanoTime() < deadline) {
                  List<Lease> leases = claim(worker, w, id, 10);
                  if (leases.isEmpty()) {
                    continue;
                  }
                  List<LeaseReport> reports = new ArrayList<>();
                  for (Lease l : leases) {
                    ledger.add(new Claim(l.job().id(), l.task().index(), l.task().attempt()));
                    reports.add(new LeaseReport.Heartbeat(lease(l), 50, null, null, null));
                    reports.add(complete(lease(l)));
                    // a late duplicate of the completion: refused alone
                    reports.add(complete(lease(l)));
                  }
                  List<ReportOutcome> outcomes = worker.report(w, reports);
                  for (int i = 0; i < outcomes.size(); i++) {
                    assertThat(outcomes.get(i).isAccepted()).isEqualTo(i % 3 != 2);
                  }
                  done.addAndGet(leases.size());
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : workers) {
      f.get(150, TimeUnit.SECONDS);
    }
    threads.shutdownNow();

    assertThat(ledger).hasSize(tasks);
    assertThat(new HashSet<>(ledger)).as("no task claimed twice").hasSize(tasks);
    assertThat(store.jobRepository().countByStatus().get(JobStatus.SUCCEEDED))
        .as("every job finished, and the status counts agree")
        .isEqualTo((long) jobs);
    assertThat(
            store.jobRepository().countByStatus().entrySet().stream()
                .filter(e -> e.getKey() != JobStatus.SUCCEEDED)
                .mapToLong(java.util.Map.Entry::getValue)
                .sum())
        .isZero();
    assertThat(tasks(ledger.peek().job())).allMatch(t -> t.status() == TaskStatus.SUCCEEDED);
  }
}
