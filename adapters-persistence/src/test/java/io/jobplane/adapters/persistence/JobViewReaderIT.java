package io.jobplane.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.JobView;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.JobViewReader.JobWithRun;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.SeparateReadsJobViewReader;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.telemetry.EtaEstimator;
import io.jobplane.domain.telemetry.ProgressSample;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-statement read of a job ({@link JdbiJobViewReader}) against the separate reads it
 * replaces, on the real PostgreSQL, and the statements a GET of a job costs, counted by the store's
 * {@code jobplane.database.statements} counter.
 */
class JobViewReaderIT {

  private static SimpleMeterRegistry registry;
  private static PostgresStore store;

  private final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  private final JobViewReader oneStatement = store.jobViewReader();
  private final JobViewReader separateReads =
      new SeparateReadsJobViewReader(
          store.jobRepository(),
          store.taskRepository(),
          store.workerPresence(),
          store.telemetryRepository());
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
  private final WorkerProtocolService worker = protocol(oneStatement);
  private final WorkerProtocolService workerOnSeparateReads = protocol(separateReads);

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  /** A store of its own, so the statement counter sees nothing but this class's statements. */
  @BeforeAll
  static void openCountingStore() {
    registry = new SimpleMeterRegistry();
    store = PostgresStore.open(TestDatabase.config(), registry);
  }

  @AfterAll
  static void closeCountingStore() {
    store.close();
  }

  @BeforeEach
  void emptyTables() {
    TestDatabase.reset();
  }

  private WorkerProtocolService protocol(JobViewReader views) {
    return StoreServices.workerProtocolOn(store)
        .views(views)
        .clock(clock)
        .random(() -> 0.5)
        .build();
  }

  private JobSnapshot submitted(JobTestData data, boolean suspended) {
    JobSnapshot job =
        submit.submit(new SubmitJobCommand(ci, data.definition(), suspended, null)).job();
    clock.advance(Duration.ofMillis(10));
    return job;
  }

  private List<Lease> claim(int max) {
    return worker.claim(new ClaimCommand(w, "w-1", "host-1", null, null, max, 30));
  }

  private static LeaseRef ref(Caller caller, Lease lease) {
    return new LeaseRef(
        caller, lease.job().id(), lease.task().index(), lease.task().epoch(), lease.leaseToken());
  }

  private void sample(JobId id, int runId, int task, double progress) {
    store
        .telemetryRepository()
        .appendProgress(id, runId, new ProgressSample(clock.instant(), task, progress));
    clock.advance(Duration.ofSeconds(1));
  }

  private Instant activeSince() {
    return clock.instant().minus(QueueWait.ACTIVE_WINDOW);
  }

  /** Both reads of the job, asserted equal; the one-statement read is returned. */
  private JobWithRun readBothWays(JobId id) {
    JobWithRun one = oneStatement.read(id, EtaEstimator.WINDOW, activeSince()).orElseThrow();
    assertThat(one)
        .isEqualTo(separateReads.read(id, EtaEstimator.WINDOW, activeSince()).orElseThrow());
    assertThat(worker.view(ci, id)).isEqualTo(workerOnSeparateReads.view(ci, id));
    return one;
  }

  private long statementsOf(Runnable call) {
    Counter statements = registry.get("jobplane.database.statements").counter();
    double before = statements.count();
    call.run();
    return Math.round(statements.count() - before);
  }

  private <T> T counted(long expected, Supplier<T> call) {
    Object[] result = new Object[1];
    assertThat(statementsOf(() -> result[0] = call.get())).isEqualTo(expected);
    @SuppressWarnings("unchecked")
    T value = (T) result[0];
    return value;
  }

  @Test
  void a_running_job_with_several_tasks_reads_the_same_as_the_separate_reads() {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(4), false);
    List<Lease> leases = claim(3); // task 3 stays queued
    worker.heartbeat(ref(w, leases.get(0)), 40, new TaskItems(10, 4, 0));
    worker.complete(ref(w, leases.get(1)), "{\"rows\": 7}", true);
    for (int i = 0; i < EtaEstimator.WINDOW + 5; i++) {
      sample(job.id(), job.runId(), 0, i * 2);
    }
    sample(job.id(), job.runId(), 2, 10);
    sample(job.id(), job.runId(), 2, 30);

    JobWithRun read = readBothWays(job.id());

    assertThat(read.job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(read.tasks())
        .extracting(t -> t.status())
        .containsExactly(
            TaskStatus.RUNNING, TaskStatus.SUCCEEDED, TaskStatus.RUNNING, TaskStatus.QUEUED);
    assertThat(read.tasks().get(0).items()).isEqualTo(new TaskItems(10, 4, 0));
    assertThat(read.tasks().get(1).output()).isEqualTo("{\"rows\": 7}");
    // the newest WINDOW samples of task 0, both of task 2, oldest first per task
    assertThat(read.progress()).hasSize(EtaEstimator.WINDOW + 2);
    assertThat(read.progress().get(0).progress()).isEqualTo(10.0);
    assertThat(read.progress().get(EtaEstimator.WINDOW).taskIndex()).isEqualTo(2);
    assertThat(read.activeWorkers()).isEqualTo(1);
    assertThat(worker.view(ci, job.id()).estimatedSecondsRemaining()).isNotNull();
  }

  @Test
  void a_job_without_tasks_reads_the_same_as_the_separate_reads() {
    JobSnapshot job = store.jobRepository().insert(JobTestData.aJob().buildJob());

    JobWithRun read = readBothWays(job.id());

    assertThat(read.job()).isEqualTo(job);
    assertThat(read.tasks()).isEmpty();
    assertThat(read.progress()).isEmpty();
    assertThat(read.activeWorkers()).isZero();
  }

  @Test
  void after_a_restart_the_read_has_the_new_run_only() {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(2), false);
    for (Lease lease : claim(2)) {
      sample(job.id(), job.runId(), lease.task().index(), 50);
      sample(job.id(), job.runId(), lease.task().index(), 60);
      worker.complete(ref(w, lease), null, null);
    }
    JobWithRun finished = readBothWays(job.id());
    assertThat(finished.job().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(finished.tasks()).hasSize(2).allMatch(t -> t.runId() == 1);
    assertThat(finished.progress()).isEmpty(); // a finished job reads no samples
    assertThat(finished.activeWorkers()).isZero(); // nor workers

    control.restart(new RestartJobCommand(ci, job.id(), null, 3));
    sample(job.id(), 2, 1, 5);

    JobWithRun restarted = readBothWays(job.id());
    assertThat(restarted.job().runId()).isEqualTo(2);
    assertThat(restarted.tasks())
        .hasSize(3)
        .allMatch(t -> t.runId() == 2 && t.status() == TaskStatus.QUEUED);
    assertThat(restarted.progress())
        .containsExactly(new ProgressSample(clock.instant().minusSeconds(1), 1, 5));
    assertThat(restarted.activeWorkers()).isEqualTo(1);
  }

  @Test
  void a_missing_job_reads_as_empty_and_a_hidden_one_is_not_found() {
    JobSnapshot hidden = submitted(JobTestData.aJob().inProject("etl"), false);
    Caller other = new Caller("other", Set.of(Role.VIEWER), Set.of("ml"));

    assertThat(oneStatement.read(JobId.random(), EtaEstimator.WINDOW, activeSince())).isEmpty();
    for (JobId id : List.of(JobId.random(), hidden.id())) {
      assertThatThrownBy(() -> worker.view(other, id))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND))
          .hasMessage("job not found"); // the same words, so a hidden job is not told apart
    }
  }

  @Test
  void a_get_of_a_finished_running_or_suspended_job_is_one_statement_of_a_queued_one_two() {
    JobSnapshot done = submitted(JobTestData.aJob().withParallelism(3), false);
    claim(3).forEach(lease -> worker.complete(ref(w, lease), null, null));
    JobSnapshot running = submitted(JobTestData.aJob().withParallelism(2), false);
    claim(2);
    sample(running.id(), running.runId(), 0, 10);
    sample(running.id(), running.runId(), 0, 20);
    JobSnapshot suspended = submitted(JobTestData.aJob(), true);
    JobSnapshot queued = submitted(JobTestData.aJob(), false);

    JobView finished = counted(1, () -> worker.view(ci, done.id()));
    assertThat(finished.job().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(finished.tasks()).hasSize(3);
    assertThat(finished.estimatedSecondsRemaining()).isNull();

    JobView busy = counted(1, () -> worker.view(ci, running.id()));
    assertThat(busy.job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(busy.waiting()).isEmpty();
    assertThat(busy.estimatedSecondsRemaining()).isEqualTo(8L); // 10 %/s, 80 % to go

    JobView held = counted(1, () -> worker.view(ci, suspended.id()));
    assertThat(held.waiting().orElseThrow().reason()).isEqualTo(QueueWait.Reason.SUSPENDED);
    assertThat(held.waiting().orElseThrow().activeWorkers()).isEqualTo(1);

    // the queue position (tasksAhead) and the project's running limits are the extra reads
    JobView waiting = counted(3, () -> worker.view(ci, queued.id()));
    assertThat(waiting.waiting().orElseThrow().reason()).isEqualTo(QueueWait.Reason.NEXT);

    // the tasks alone: one statement
    assertThat(counted(1, () -> worker.tasks(ci, running.id()))).hasSize(2);
  }
}
