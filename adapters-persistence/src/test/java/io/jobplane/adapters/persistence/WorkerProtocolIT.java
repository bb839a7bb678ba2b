package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.SweeperService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TaskSummary;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.WorkerCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker protocol on the real PostgreSQL: the services wired to the Jdbi store. */
class WorkerProtocolIT {

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
  private final SweeperService sweeper =
      new SweeperService(
          store.jobRepository(),
          store.taskRepository(),
          store.jobLocks(),
          store.taskSweeps(),
          store.workerPresence(),
          store.transactions(),
          () -> 0.5,
          null,
          SweeperService.DEFAULT_WORKER_EXPIRY);

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private JobSnapshot submitted(JobTestData data) {
    return submit.submit(new SubmitJobCommand(ci, data.definition(), false, null)).job();
  }

  private List<Lease> claim(String workerId, int max) {
    return worker.claim(new ClaimCommand(w, workerId, "host-" + workerId, null, null, max, 30));
  }

  private LeaseRef ref(Lease lease) {
    return new LeaseRef(
        w, lease.job().id(), lease.task().index(), lease.task().epoch(), lease.leaseToken());
  }

  private JobSnapshot job(JobId id) {
    return store.jobRepository().findById(id).orElseThrow();
  }

  private List<TaskState> tasks(JobId id) {
    return worker.tasks(ci, id);
  }

  private List<EventType> timeline(JobId id) {
    return store.jobRepository().timeline(id, 100, 0).items().stream()
        .map(TimelineEvent::type)
        .toList();
  }

  private static void assertStale(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.STALE_LEASE));
  }

  @Test
  void four_workers_racing_for_a_thousand_jobs_claim_each_task_exactly_once() throws Exception {
    int jobs = 1000;
    Set<JobId> submitted = new HashSet<>();
    for (int i = 0; i < jobs; i++) {
      submitted.add(submitted(JobTestData.aJob().withPriority(i % 7)).id());
    }
    record Claim(JobId job, int task, int attempt) {}
    ConcurrentLinkedQueue<Claim> ledger = new ConcurrentLinkedQueue<>();
    AtomicInteger claimed = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int n = 0; n < 4; n++) {
      String id = "w" + n;
      workers.add(
          threads.submit(
              () -> {
                start.await();
                while (claimed.get() < jobs && System.nanoTime() < deadline) {
                  for (Lease lease : claim(id, 5)) {
                    ledger.add(
                        new Claim(lease.job().id(), lease.task().index(), lease.task().attempt()));
                    claimed.incrementAndGet();
                    worker.complete(ref(lease), "{\"by\":\"" + id + "\"}", false);
                  }
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : workers) {
      f.get(150, TimeUnit.SECONDS);
    }
    threads.shutdownNow();

    assertThat(ledger).hasSize(jobs);
    assertThat(new HashSet<>(ledger)).as("no task claimed twice").hasSize(jobs);
    assertThat(ledger.stream().map(Claim::job).collect(java.util.stream.Collectors.toSet()))
        .as("no job lost")
        .isEqualTo(submitted);
    assertThat(store.jobRepository().countByStatus().get(JobStatus.SUCCEEDED))
        .isEqualTo((long) jobs);
  }

  @Test
  void a_worker_that_stops_heartbeating_loses_its_task_to_another_after_the_sweep() {
    JobSnapshot j = submitted(JobTestData.aJob());
    Lease first = claim("dead", 1).get(0);
    worker.heartbeat(ref(first), 10, null);
    clock.advance(Duration.ofSeconds(29));
    assertThat(sweeper.sweep(clock.instant()).expiredLeases()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(sweeper.sweep(clock.instant()).expiredLeases()).isEqualTo(1);
    assertThat(claim("alive", 1)).as("backing off").isEmpty();
    clock.advance(Duration.ofSeconds(2));
    Lease second = claim("alive", 1).get(0);

    assertThat(second.task().attempt()).isEqualTo(2);
    assertThat(second.task().epoch()).isEqualTo(first.task().epoch() + 1);
    assertThat(second.task().workerId()).isEqualTo("alive");
    assertStale(() -> worker.heartbeat(ref(first), 50, null));
    assertThat(timeline(j.id()))
        .containsSubsequence(EventType.STARTED, EventType.RETRIED, EventType.STARTED);
    TimelineEvent retried =
        store.jobRepository().timeline(j.id(), 100, 0).items().stream()
            .filter(e -> e.type() == EventType.RETRIED)
            .findFirst()
            .orElseThrow();
    assertThat(retried.error().reason()).isEqualTo("LEASE_EXPIRED");
    worker.complete(ref(second), "{\"ok\":true}", true);
    assertThat(job(j.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void a_stale_epoch_report_is_refused_and_changes_nothing() {
    JobSnapshot j = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    worker.heartbeat(ref(lease), 40, new TaskItems(10, 4, 0));
    JobSnapshot before = job(j.id());
    List<TaskState> tasksBefore = tasks(j.id());
    LeaseRef stale = new LeaseRef(w, j.id(), 0, lease.task().epoch() - 1, lease.leaseToken());
    LeaseRef forged = new LeaseRef(w, j.id(), 0, lease.task().epoch(), "jpl_lease_forged");

    for (LeaseRef wrong : List.of(stale, forged)) {
      assertStale(() -> worker.complete(wrong, "{}", true));
      assertStale(() -> worker.fail(wrong, new JobError("X", "y"), 1, false));
      assertStale(() -> worker.heartbeat(wrong, 90, null));
    }

    assertThat(job(j.id())).isEqualTo(before);
    assertThat(tasks(j.id())).isEqualTo(tasksBefore);
    assertThat(store.leaseVerifier().lockTask(j.id(), 0).orElseThrow().task().epoch())
        .isEqualTo(lease.task().epoch());
  }

  @Test
  void only_the_hash_of_a_lease_token_is_stored() {
    JobSnapshot j = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    assertThat(tasks(j.id()).get(0).leaseTokenHash())
        .isEqualTo(HexFormat.of().formatHex(sha256(lease.leaseToken())));
    long rowsHoldingTheToken =
        org.jdbi.v3.core.Jdbi.create(store.dataSource())
            .withHandle(
                h ->
                    h.createQuery("SELECT count(*) FROM job_tasks t WHERE t::text LIKE :token")
                        .bind("token", "%" + lease.leaseToken().substring(10) + "%")
                        .mapTo(Long.class)
                        .one());
    assertThat(rowsHoldingTheToken).isZero();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void stop_reaches_a_running_job_through_the_heartbeat_and_ends_stopped_after_the_ack() {
    JobSnapshot j = submitted(JobTestData.aJob().withParallelism(2));
    Lease lease = claim("w1", 1).get(0);
    assertThat(worker.heartbeat(ref(lease), 5, null).stop()).isNull();

    JobSnapshot stopping = control.stop(new StopJobCommand(ci, j.id(), StopMode.GRACEFUL, 20));
    assertThat(stopping.status()).isEqualTo(JobStatus.STOPPING);
    assertThat(tasks(j.id()).get(1).status())
        .as("the queued task stops at once")
        .isEqualTo(TaskStatus.STOPPED);
    var answer = worker.heartbeat(ref(lease), 6, null);
    assertThat(answer.stop().mode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(answer.stop().deadline()).isEqualTo(clock.instant().plusSeconds(20));
    assertThat(claim("w2", 5)).isEmpty();

    worker.stopped(ref(lease));
    assertThat(job(j.id()).status()).isEqualTo(JobStatus.STOPPED);
    assertThat(timeline(j.id())).endsWith(EventType.STOP_REQUESTED, EventType.STOPPED);
  }

  @Test
  void an_overdue_graceful_stop_is_forced_by_the_sweeper_and_force_revokes_the_lease() {
    JobSnapshot slow = submitted(JobTestData.aJob());
    Lease slowLease = claim("w1", 1).get(0);
    control.stop(new StopJobCommand(ci, slow.id(), StopMode.GRACEFUL, 10));
    clock.advance(Duration.ofSeconds(5));
    worker.heartbeat(ref(slowLease), 50, null);
    clock.advance(Duration.ofSeconds(5));
    assertThat(sweeper.sweep(clock.instant()).forcedStops()).isEqualTo(1);
    assertThat(job(slow.id()).status()).isEqualTo(JobStatus.STOPPED);
    assertStale(() -> worker.stopped(ref(slowLease)));

    JobSnapshot forced = submitted(JobTestData.aJob());
    Lease lease = claim("w2", 1).get(0);
    assertThat(control.stop(new StopJobCommand(ci, forced.id(), StopMode.FORCE, null)).status())
        .isEqualTo(JobStatus.STOPPED);
    assertThat(tasks(forced.id()).get(0).status()).isEqualTo(TaskStatus.STOPPED);
    assertStale(() -> worker.heartbeat(ref(lease), 60, null));
  }

  @Test
  void a_job_past_its_timeout_ends_timed_out_with_the_lease_revoked() {
    JobSnapshot j = submitted(JobTestData.aJob().withTimeoutSeconds(45));
    Lease lease = claim("w1", 1).get(0);
    for (int i = 0; i < 2; i++) {
      clock.advance(Duration.ofSeconds(20));
      worker.heartbeat(ref(lease), 10 * (i + 1), null);
      sweeper.sweep(clock.instant());
    }
    assertThat(job(j.id()).status()).isEqualTo(JobStatus.RUNNING);
    clock.advance(Duration.ofSeconds(5));
    assertThat(sweeper.sweep(clock.instant()).timedOutTasks()).isEqualTo(1);

    assertThat(job(j.id()).status()).isEqualTo(JobStatus.TIMED_OUT);
    assertThat(tasks(j.id()).get(0).status()).isEqualTo(TaskStatus.TIMED_OUT);
    assertStale(() -> worker.heartbeat(ref(lease), 50, null));
    assertStale(() -> worker.complete(ref(lease), "{}", true));
  }

  @Test
  void a_three_task_job_with_one_task_failing_for_good_ends_partially_failed() {
    JobSnapshot j = submitted(JobTestData.aJob().withParallelism(3));
    List<Lease> leases = claim("w1", 3);
    assertThat(leases).hasSize(3);
    worker.complete(ref(leases.get(0)), "{\"part\":0}", true);
    worker.fail(ref(leases.get(1)), new JobError("EXIT_CODE", "exit code 2"), 2, false);
    worker.complete(ref(leases.get(2)), "{\"part\":2}", false);

    JobSnapshot done = job(j.id());
    assertThat(done.status()).isEqualTo(JobStatus.PARTIALLY_FAILED);
    assertThat(done.error().message()).contains("1 of 3", "exit code 2");
    TaskSummary summary = TaskSummary.of(tasks(j.id()));
    assertThat(List.of(summary.total(), summary.completed(), summary.failed(), summary.pending()))
        .containsExactly(3, 2, 1, 0);
    assertThat(summary.changed()).isTrue();
    assertThat(summary.outputJson()).contains("\"part\": 0").contains("null");
    assertThat(tasks(j.id()).get(1).exitCode()).isEqualTo(2);
  }

  @Test
  void exhausted_retries_end_failed() {
    JobSnapshot j = submitted(JobTestData.aJob().withMaxAttempts(2));
    Lease first = claim("w1", 1).get(0);
    worker.fail(ref(first), new JobError("EXIT_CODE", "exit 1"), 1, true);
    assertThat(job(j.id()).status()).isEqualTo(JobStatus.QUEUED);
    clock.advance(Duration.ofSeconds(3));
    Lease second = claim("w1", 1).get(0);
    assertThat(second.task().attempt()).isEqualTo(2);
    worker.fail(ref(second), new JobError("EXIT_CODE", "exit 1 again"), 1, true);

    assertThat(job(j.id()).status()).isEqualTo(JobStatus.FAILED);
    assertThat(job(j.id()).error().message()).isEqualTo("exit 1 again");
    assertThat(tasks(j.id()).get(0).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(timeline(j.id()))
        .containsSubsequence(
            EventType.STARTED, EventType.RETRIED, EventType.STARTED, EventType.FAILED);
  }

  @Test
  void restart_creates_the_tasks_of_the_new_run_and_fences_the_old_workers() {
    JobSnapshot j =
        submit
            .submit(
                new SubmitJobCommand(
                    ci, JobTestData.aJob().definition().withParallelism(1), false, null))
            .job();
    Lease lease = claim("w1", 1).get(0);
    worker.complete(ref(lease), null, null);
    control.restart(new io.jobplane.application.port.in.RestartJobCommand(ci, j.id(), null, 2));
    assertThat(tasks(j.id())).hasSize(2).allMatch(t -> t.runId() == 2);
    assertStale(() -> worker.heartbeat(ref(lease), 1, null));
    List<Lease> next = claim("w2", 5);
    assertThat(next).extracting(l -> l.task().epoch()).containsOnly(lease.task().epoch() + 1);
  }

  @Test
  void the_worker_command_and_env_are_stored_with_the_job() {
    var d = JobTestData.aJob().definition();
    var withCommand =
        d.toBuilder()
            .command(
                new WorkerCommand(
                    List.of("sh", "-c", "echo \"$GREETING\""), Map.of("GREETING", "hi")))
            .build();
    JobSnapshot j = submit.submit(new SubmitJobCommand(ci, withCommand, false, null)).job();
    assertThat(job(j.id()).definition().command()).isEqualTo(withCommand.command());
    assertThat(claim("w1", 1).get(0).job().definition().command().env())
        .containsEntry("GREETING", "hi");
  }
}
