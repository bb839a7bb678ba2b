package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.TaskReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.HeartbeatAnswer;
import io.jobplane.application.port.in.WorkerProtocolUseCase.JobView;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.in.WorkerProtocolUseCase.LeaseRef;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ReportOutcome;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.testing.DirectTransactionRunner;
import io.jobplane.application.testing.InMemoryIdempotencyKeys;
import io.jobplane.application.testing.InMemoryJobRepository;
import io.jobplane.application.testing.InMemoryServices;
import io.jobplane.application.testing.InMemoryTaskRepository;
import io.jobplane.application.testing.InMemoryTelemetryRepository;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.EventType;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.CheckpointState;
import io.jobplane.domain.telemetry.Counters;
import io.jobplane.domain.telemetry.MetricsSnapshot;
import io.jobplane.domain.telemetry.ProgressSample;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkerProtocolServiceTest {

  private final InMemoryJobRepository jobs = new InMemoryJobRepository();
  private final MutableClock clock = MutableClock.fixed();
  private final InMemoryTaskRepository tasks = new InMemoryTaskRepository(jobs, clock);
  private final DirectTransactionRunner tx = new DirectTransactionRunner();
  private final InMemoryTelemetryRepository checkpoints = new InMemoryTelemetryRepository(jobs);
  private final SubmitJobService submit =
      InMemoryServices.submit(jobs, tasks, new InMemoryIdempotencyKeys(), tx, clock).build();
  private final ControlJobUseCase control =
      new ControlJobService(
          jobs, tasks, tasks, tasks, checkpoints, tx, clock, WorkloadOutbox.disabled());
  private final WorkerProtocolService worker =
      InMemoryServices.workerProtocol(jobs, tasks, checkpoints, tx, clock).build();
  private final SweeperService sweeper =
      new SweeperService(
          jobs,
          tasks,
          tasks,
          tasks,
          tasks,
          tx,
          () -> 0.5,
          null,
          SweeperService.DEFAULT_WORKER_EXPIRY);

  private final Caller ci = new Caller("ci", Set.of(Role.SUBMITTER), null);
  private final Caller w = new Caller("w", Set.of(Role.WORKER), null);

  private JobSnapshot submitted(JobTestData data) {
    return submit.submit(new SubmitJobCommand(ci, data.definition(), false, null)).job();
  }

  private List<Lease> claim(String workerId, int max) {
    return worker.claim(new ClaimCommand(w, workerId, "host", null, null, max, 30));
  }

  @Test
  void submit_creates_one_queued_task_per_parallelism_and_a_claim_starts_the_job() {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(3));
    assertThat(worker.tasks(ci, job.id()))
        .hasSize(3)
        .allMatch(t -> t.status() == TaskStatus.QUEUED);

    List<Lease> leases = claim("w1", 2);
    assertThat(leases).extracting(l -> l.task().index()).containsExactly(0, 1);
    assertThat(leases.get(0).job().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(claim("w2", 5)).extracting(l -> l.task().index()).containsExactly(2);
    assertThat(claim("w3", 5)).isEmpty();
  }

  @Test
  void higher_priority_jobs_are_claimed_first_and_only_from_the_asked_queues() {
    JobSnapshot low = submitted(JobTestData.aJob().withPriority(1));
    JobSnapshot high = submitted(JobTestData.aJob().withPriority(9));
    submitted(JobTestData.aJob().inQueue("gpu"));
    assertThat(claim("w", 5)).extracting(l -> l.job().id()).containsExactly(high.id(), low.id());
  }

  @Test
  void only_workers_and_admins_claim() {
    assertThatThrownBy(() -> worker.claim(new ClaimCommand(ci, "x", null, null, null, 1, 30)))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    assertThat(worker.claim(new ClaimCommand(Caller.admin("root"), "x", null, null, null, 1, 30)))
        .isEmpty();
  }

  @Test
  void a_retryable_failure_is_retried_after_backoff_and_the_old_epoch_is_refused() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease first = claim("w1", 1).get(0);
    LeaseRef ref = new LeaseRef(w, job.id(), 0, first.task().epoch(), first.leaseToken());
    worker.fail(ref, new JobError("EXIT_CODE", "exit code 2"), 2, true);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(claim("w2", 1)).isEmpty(); // backing off
    clock.advance(Duration.ofSeconds(2));
    Lease second = claim("w2", 1).get(0);
    assertThat(second.task().attempt()).isEqualTo(2);
    assertThatThrownBy(() -> worker.heartbeat(ref, 5, null))
        .isInstanceOfSatisfying(DomainException.class, WorkerProtocolServiceTest::isStale);
    assertThat(jobs.events(job.id()))
        .extracting(TimelineEvent::type)
        .containsSubsequence(EventType.STARTED, EventType.RETRIED, EventType.STARTED);
  }

  @Test
  void another_worker_with_the_right_epoch_but_not_the_lease_token_is_refused_and_told_nothing() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease held = claim("w1", 1).get(0);
    long epoch = held.task().epoch();
    assertThat(held.leaseToken()).startsWith("jpl_lease_").hasSizeGreaterThan(40);
    for (String guess : List.of("jpl_lease_guess", "")) {
      assertThatThrownBy(
              () -> worker.complete(new LeaseRef(w, job.id(), 0, epoch, guess), "{}", true))
          .isInstanceOfSatisfying(
              DomainException.class,
              e ->
                  assertThat(e.reason())
                      .isEqualTo(
                          guess.isEmpty()
                              ? DomainException.Reason.INVALID_ARGUMENT
                              : DomainException.Reason.STALE_LEASE))
          .hasMessageNotContaining("epoch " + epoch)
          .hasMessageNotContaining(held.leaseToken());
    }
    assertThat(worker.tasks(ci, job.id()).get(0).status()).isEqualTo(TaskStatus.RUNNING);
    worker.complete(new LeaseRef(w, job.id(), 0, epoch, held.leaseToken()), "{}", true);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    // every lease gets its own token
    JobSnapshot two = submitted(JobTestData.aJob().withParallelism(2));
    List<Lease> pair = claim("w2", 2);
    assertThat(pair).extracting(l -> l.job().id()).containsOnly(two.id());
    assertThat(pair.get(0).leaseToken()).isNotEqualTo(pair.get(1).leaseToken());
  }

  @Test
  void a_stop_reaches_the_worker_through_the_heartbeat_and_ends_with_its_ack() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    LeaseRef ref = new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken());
    assertThat(worker.heartbeat(ref, 10, null).stop()).isNull();
    control.stop(new StopJobCommand(ci, job.id(), StopMode.GRACEFUL, 20));
    HeartbeatAnswer answer = worker.heartbeat(ref, 20, null);
    assertThat(answer.stop().mode()).isEqualTo(StopMode.GRACEFUL);
    assertThat(answer.stop().deadline()).isEqualTo(clock.instant().plusSeconds(20));
    worker.stopped(ref);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void the_sweeper_requeues_an_expired_lease_and_times_out_a_job() {
    JobSnapshot job = submitted(JobTestData.aJob());
    claim("w1", 1);
    clock.advance(Duration.ofSeconds(31));
    assertThat(sweeper.sweep(clock.instant()).expiredLeases()).isEqualTo(1);
    assertThat(worker.tasks(ci, job.id()).get(0).attempt()).isEqualTo(2);

    JobSnapshot limited = submitted(JobTestData.aJob().withTimeoutSeconds(60));
    clock.advance(Duration.ofSeconds(10));
    Lease limitedLease =
        claim("w2", 5).stream().filter(l -> l.job().id().equals(limited.id())).findFirst().get();
    clock.advance(Duration.ofSeconds(20));
    LeaseRef ref =
        new LeaseRef(w, limited.id(), 0, limitedLease.task().epoch(), limitedLease.leaseToken());
    worker.heartbeat(ref, 1, null);
    clock.advance(Duration.ofSeconds(20));
    worker.heartbeat(ref, 2, null);
    clock.advance(Duration.ofSeconds(20));
    sweeper.sweep(clock.instant());
    assertThat(jobs.findById(limited.id()).orElseThrow().status()).isEqualTo(JobStatus.TIMED_OUT);
    assertThatThrownBy(() -> worker.heartbeat(ref, 3, null))
        .isInstanceOfSatisfying(DomainException.class, WorkerProtocolServiceTest::isStale);
  }

  @Test
  void restart_creates_the_tasks_of_the_new_run_with_continued_epochs() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    worker.complete(
        new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken()), "{\"n\":1}", true);
    control.restart(new io.jobplane.application.port.in.RestartJobCommand(ci, job.id(), null, 2));
    assertThat(worker.tasks(ci, job.id()))
        .hasSize(2)
        .allMatch(t -> t.runId() == 2 && t.epoch() == lease.task().epoch());
    assertThatThrownBy(
            () ->
                worker.heartbeat(
                    new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken()),
                    1,
                    null))
        .isInstanceOfSatisfying(DomainException.class, WorkerProtocolServiceTest::isStale);
  }

  @Test
  void a_restart_from_a_checkpoint_hands_it_to_the_next_runs_workers() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    checkpoints.saveCheckpoint(
        job.id(),
        1,
        new Checkpoint(
            "chk-7",
            7,
            CheckpointState.COMPLETED,
            clock.instant(),
            clock.instant(),
            1024L,
            "filesystem",
            "s3://bucket/chk-7",
            0,
            List.of()));
    worker.fail(
        new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken()),
        new io.jobplane.domain.JobError("CRASH", "boom"),
        1,
        false);
    control.restart(new RestartJobCommand(ci, job.id(), "chk-7", null));

    Lease next = claim("w2", 1).get(0);
    assertThat(next.task().runId()).isEqualTo(2);
    assertThat(next.checkpoint().location()).isEqualTo("s3://bucket/chk-7");
  }

  @Test
  void a_restart_from_a_checkpoint_the_job_never_completed_is_refused() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    worker.complete(
        new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken()), null, null);
    assertThatThrownBy(() -> control.restart(new RestartJobCommand(ci, job.id(), "chk-1", null)))
        .isInstanceOf(DomainException.class)
        .hasMessageContaining("no completed checkpoint 'chk-1'");
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void a_claim_records_the_workers_presence() {
    claim("w1", 3);
    var presence = tasks.workers().get("w1");
    assertThat(presence.hostname()).isEqualTo("host");
    assertThat(presence.queues()).containsExactly("default");
    assertThat(presence.tasksRequested()).isEqualTo(3);
    assertThat(presence.tasksLeased()).isZero();
    assertThat(presence.seenAt()).isEqualTo(clock.instant());
  }

  @Test
  void a_queued_job_tells_why_it_waits() {
    JobSnapshot first = submitted(JobTestData.aJob());
    clock.advance(Duration.ofSeconds(1));
    JobSnapshot second = submitted(JobTestData.aJob().withParallelism(2));
    QueueWait none = worker.waiting(ci, second.id()).orElseThrow();
    assertThat(none.reason()).isEqualTo(QueueWait.Reason.NO_WORKER);
    assertThat(none.position()).isEqualTo(2);

    worker.claim(new ClaimCommand(w, "idle", null, List.of("other", "default"), null, 1, 30));
    // the claim took the first job; now the second is next, one worker active
    QueueWait next = worker.waiting(ci, second.id()).orElseThrow();
    assertThat(next.reason()).isEqualTo(QueueWait.Reason.NEXT);
    assertThat(next.position()).isEqualTo(1);
    assertThat(next.activeWorkers()).isEqualTo(1);
    assertThat(worker.waiting(ci, first.id())).isEmpty(); // running, nothing queued

    clock.advance(QueueWait.ACTIVE_WINDOW.plusSeconds(1));
    assertThat(worker.waiting(ci, second.id()).orElseThrow().reason())
        .isEqualTo(QueueWait.Reason.NO_WORKER);
  }

  @Test
  void the_position_is_exact_up_to_the_cap_and_a_lower_bound_past_it() {
    submitted(JobTestData.aJob().withPriority(9).withParallelism(999));
    JobSnapshot atCap = submitted(JobTestData.aJob().withPriority(5));
    QueueWait exact = worker.waiting(ci, atCap.id()).orElseThrow();
    assertThat(exact.position()).isEqualTo(1_000);
    assertThat(exact.positionIsLowerBound()).isFalse();

    submitted(JobTestData.aJob().withPriority(9));
    QueueWait bound = worker.waiting(ci, atCap.id()).orElseThrow();
    assertThat(bound.position()).isEqualTo(QueueWait.POSITION_CAP);
    assertThat(bound.positionIsLowerBound()).isTrue();
  }

  @Test
  void workers_busy_behind_others_backoff_after_a_retry_and_suspended() {
    JobSnapshot ahead = submitted(JobTestData.aJob().withPriority(5).withParallelism(2));
    JobSnapshot behind = submitted(JobTestData.aJob());
    claim("w0", 1); // takes task 0 of the high-priority job
    QueueWait busy = worker.waiting(ci, behind.id()).orElseThrow();
    assertThat(busy.reason()).isEqualTo(QueueWait.Reason.WORKERS_BUSY);
    assertThat(busy.position()).isEqualTo(2);
    // the running job still has a queued task, and nothing is ahead of it
    assertThat(worker.waiting(ci, ahead.id()).orElseThrow().reason())
        .isEqualTo(QueueWait.Reason.NEXT);

    List<Lease> more = claim("w1", 2);
    assertThat(more).extracting(l -> l.job().id()).containsExactly(ahead.id(), behind.id());
    LeaseRef ref =
        new LeaseRef(w, behind.id(), 0, more.get(1).task().epoch(), more.get(1).leaseToken());
    worker.fail(ref, new JobError("EXIT_CODE", "exit code 2"), 2, true);
    QueueWait backoff = worker.waiting(ci, behind.id()).orElseThrow();
    assertThat(backoff.reason()).isEqualTo(QueueWait.Reason.BACKOFF);
    assertThat(backoff.until()).isAfter(clock.instant());

    JobSnapshot suspended =
        submit.submit(new SubmitJobCommand(ci, JobTestData.aJob().definition(), true, null)).job();
    assertThat(worker.waiting(ci, suspended.id()).orElseThrow().reason())
        .isEqualTo(QueueWait.Reason.SUSPENDED);
  }

  @Test
  void the_view_estimates_an_unfinished_job_from_its_progress_and_a_finished_one_not() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w0", 1).get(0);
    checkpoints.appendProgress(job.id(), 1, new ProgressSample(clock.instant(), 0, 10));
    clock.advance(Duration.ofSeconds(1));
    checkpoints.appendProgress(job.id(), 1, new ProgressSample(clock.instant(), 0, 20));

    JobView running = worker.view(ci, job.id());
    assertThat(running.estimatedSecondsRemaining()).isEqualTo(8L); // 10 %/s, 80 % to go
    assertThat(running.tasks()).hasSize(1);
    assertThat(running.waiting()).isEmpty();

    worker.complete(
        new LeaseRef(w, job.id(), 0, lease.task().epoch(), lease.leaseToken()), null, null);
    JobView done = worker.view(ci, job.id());
    assertThat(done.job().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.estimatedSecondsRemaining()).isNull();
  }

  @Test
  void a_hidden_job_is_not_found_in_the_same_words_as_a_missing_one() {
    JobSnapshot hidden = submitted(JobTestData.aJob().inProject("etl"));
    Caller ml = new Caller("ml", Set.of(Role.VIEWER), Set.of("ml"));
    for (JobId id : List.of(hidden.id(), JobId.random())) {
      assertThatThrownBy(() -> worker.view(ml, id))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.NOT_FOUND))
          .hasMessage("job not found");
    }
  }

  // ----- batched reports -------------------------------------------------------------------------

  private static TaskReport lease(Lease l) {
    return new TaskReport(l.job().id(), l.task().index(), l.task().epoch(), l.leaseToken());
  }

  private static TaskReport staleLease(Lease l) {
    return new TaskReport(l.job().id(), l.task().index(), l.task().epoch() + 1, l.leaseToken());
  }

  private static LeaseReport.Complete complete(TaskReport lease) {
    return new LeaseReport.Complete(lease, "{\"ok\":true}", true);
  }

  private static LeaseReport.Heartbeat heartbeat(TaskReport lease, Integer progress) {
    return new LeaseReport.Heartbeat(lease, progress, null, null, null);
  }

  private static void assertRefused(ReportOutcome o, DomainException.Reason reason) {
    assertThat(o.isAccepted()).as("refused").isFalse();
    assertThat(o.task()).isNull();
    assertThat(o.refusal().reason()).isEqualTo(reason);
  }

  @Test
  void a_stale_lease_in_a_batch_is_refused_alone_and_the_others_are_accepted() {
    JobSnapshot a = submitted(JobTestData.aJob().withPriority(3));
    JobSnapshot b = submitted(JobTestData.aJob().withPriority(2));
    JobSnapshot c = submitted(JobTestData.aJob().withPriority(1));
    List<Lease> leases = claim("w1", 3);
    assertThat(leases).extracting(l -> l.job().id()).containsExactly(a.id(), b.id(), c.id());
    JobSnapshot bBefore = jobs.findById(b.id()).orElseThrow();

    List<ReportOutcome> outcomes =
        worker.report(
            w,
            List.of(
                heartbeat(lease(leases.get(0)), 40),
                complete(staleLease(leases.get(1))),
                complete(lease(leases.get(2)))));

    assertThat(outcomes).extracting(ReportOutcome::isAccepted).containsExactly(true, false, true);
    assertThat(outcomes.get(0).task().progress()).isEqualTo(40);
    assertThat(outcomes.get(0).stop()).isNull();
    assertRefused(outcomes.get(1), DomainException.Reason.STALE_LEASE);
    assertThat(outcomes.get(2).task().status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(jobs.findById(a.id()).orElseThrow().progress()).isEqualTo(40);
    assertThat(jobs.findById(b.id()).orElseThrow()).isEqualTo(bBefore);
    assertThat(worker.tasks(ci, b.id()).get(0).status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(jobs.findById(c.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void reports_on_one_job_apply_in_request_order_and_a_refused_one_changes_nothing() {
    JobSnapshot job = submitted(JobTestData.aJob().withParallelism(2));
    List<Lease> leases = claim("w1", 2);

    List<ReportOutcome> outcomes =
        worker.report(
            w,
            List.of(
                heartbeat(lease(leases.get(0)), 50),
                complete(lease(leases.get(0))),
                // after the completion the lease is over: refused
                heartbeat(lease(leases.get(0)), 60),
                // task 1 was not asked to stop: refused, and task 1 stays as it was
                new LeaseReport.Stopped(lease(leases.get(1))),
                heartbeat(lease(leases.get(1)), 30)));

    assertThat(outcomes)
        .extracting(ReportOutcome::isAccepted)
        .containsExactly(true, true, false, false, true);
    assertRefused(outcomes.get(2), DomainException.Reason.STALE_LEASE);
    assertRefused(outcomes.get(3), DomainException.Reason.ILLEGAL_TRANSITION);
    assertThat(worker.tasks(ci, job.id()))
        .extracting(TaskState::status, TaskState::progress)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(TaskStatus.SUCCEEDED, 100),
            org.assertj.core.groups.Tuple.tuple(TaskStatus.RUNNING, 30));
    assertThat(jobs.findById(job.id()).orElseThrow().progress()).isEqualTo(65);
  }

  @Test
  void a_batch_answers_a_job_of_another_project_as_missing_without_looking_at_its_lease() {
    JobSnapshot theirs = submitted(JobTestData.aJob().inProject("billing"));
    Lease lease = claim("w-admin", 1).get(0);
    JobSnapshot mine = submitted(JobTestData.aJob().inProject("etl"));
    Caller etlWorker = new Caller("etl-worker", Set.of(Role.WORKER), Set.of("etl"));
    Lease own = worker.claim(new ClaimCommand(etlWorker, "w-etl", null, null, null, 5, 30)).get(0);
    assertThat(own.job().id()).isEqualTo(mine.id());

    List<ReportOutcome> outcomes =
        worker.report(
            etlWorker,
            List.of(
                complete(staleLease(lease)),
                complete(lease(lease)),
                new LeaseReport.Stopped(new TaskReport(JobId.random(), 0, 1, own.leaseToken())),
                heartbeat(lease(own), 10)));

    for (ReportOutcome o : outcomes.subList(0, 3)) {
      assertRefused(o, DomainException.Reason.NOT_FOUND);
      // the same words as a job that does not exist: no epoch, no status, not even the id
      assertThat(o.refusal()).hasMessage("job not found");
    }
    assertThat(outcomes.get(3).isAccepted()).isTrue();
    assertThat(worker.tasks(ci, theirs.id()).get(0).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void an_accepted_heartbeat_in_a_batch_stores_its_progress_metrics_and_message() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    MetricsSnapshot metrics =
        new MetricsSnapshot(
            new Counters(10, 9, 0, 0, 0, 0, null, null, null, null, null, null), List.of());

    worker.report(
        w,
        List.of(
            new LeaseReport.Heartbeat(
                lease(lease), 25, new TaskItems(4, 1, 0), metrics, "1 of 4 files")));
    worker.report(
        w,
        List.of(
            new LeaseReport.Heartbeat(staleLease(lease), 90, null, metrics, "not from the lease")));

    assertThat(worker.tasks(ci, job.id()).get(0).items()).isEqualTo(new TaskItems(4, 1, 0));
    assertThat(checkpoints.metrics(job.id(), 1)).containsEntry(0, metrics);
    assertThat(checkpoints.progress(List.of(job.id()), 10).get(job.id()))
        .extracting(ProgressSample::progress)
        .containsExactly(25.0);
    assertThat(checkpoints.counts(job.id())[0]).as("log lines: the accepted message only").isOne();
  }

  @Test
  void a_stop_reaches_the_worker_through_a_batched_heartbeat_and_ends_with_its_batched_ack() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);
    control.stop(new StopJobCommand(ci, job.id(), StopMode.IMMEDIATE, 10));

    ReportOutcome beat = worker.report(w, List.of(heartbeat(lease(lease), 20))).get(0);
    assertThat(beat.stop().mode()).isEqualTo(StopMode.IMMEDIATE);
    assertThat(beat.stop().deadline()).isEqualTo(clock.instant().plusSeconds(10));
    ReportOutcome ack = worker.report(w, List.of(new LeaseReport.Stopped(lease(lease)))).get(0);

    assertThat(ack.task().status()).isEqualTo(TaskStatus.STOPPED);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.STOPPED);
  }

  @Test
  void a_batched_failure_is_retried_with_backoff_like_a_single_one() {
    JobSnapshot job = submitted(JobTestData.aJob());
    Lease lease = claim("w1", 1).get(0);

    ReportOutcome o =
        worker
            .report(
                w,
                List.of(
                    new LeaseReport.Fail(
                        lease(lease), new JobError("EXIT_CODE", "exit code 2"), 2, true)))
            .get(0);

    assertThat(o.task().status()).isEqualTo(TaskStatus.QUEUED);
    assertThat(o.task().attempt()).isEqualTo(2);
    assertThat(jobs.findById(job.id()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
  }

  @Test
  void a_batch_needs_role_worker_and_holds_one_to_a_hundred_reports() {
    Lease lease = claim("w1", 1, JobTestData.aJob()).get(0);
    assertThatThrownBy(() -> worker.report(ci, List.of(complete(lease(lease)))))
        .isInstanceOfSatisfying(
            DomainException.class,
            e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.FORBIDDEN));
    for (int n : new int[] {0, 101}) {
      List<LeaseReport> reports =
          java.util.Collections.nCopies(n, (LeaseReport) heartbeat(lease(lease), 1));
      assertThatThrownBy(() -> worker.report(w, reports))
          .isInstanceOfSatisfying(
              DomainException.class,
              e -> assertThat(e.reason()).isEqualTo(DomainException.Reason.INVALID_ARGUMENT))
          .hasMessageContaining("reports");
    }
    assertThat(worker.tasks(ci, lease.job().id()).get(0).status()).isEqualTo(TaskStatus.RUNNING);
  }

  @Test
  void a_claim_over_many_jobs_leases_each_tasks_in_claim_order_and_starts_every_job() {
    List<JobId> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(submitted(JobTestData.aJob().withPriority(10 - i).withParallelism(2)).id());
    }

    List<Lease> leases = claim("w1", 15);

    assertThat(leases).hasSize(15);
    assertThat(leases.stream().map(l -> l.job().id()).distinct().toList())
        .containsExactlyElementsOf(ids.subList(0, 8));
    assertThat(leases).allMatch(l -> l.job().status() == JobStatus.RUNNING);
    assertThat(leases).allMatch(l -> l.job().version() == 2);
    for (JobId id : ids.subList(0, 8)) {
      assertThat(jobs.events(id)).extracting(TimelineEvent::type).contains(EventType.STARTED);
    }
    assertThat(jobs.findById(ids.get(8)).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
  }

  private List<Lease> claim(String workerId, int max, JobTestData data) {
    submitted(data);
    return claim(workerId, max);
  }

  private static void isStale(DomainException e) {
    assertThat(e.reason()).isEqualTo(DomainException.Reason.STALE_LEASE);
  }
}
