package io.jobplane.adapters.persistence;

import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.testing.JobTestData;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.domain.JobSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * The services that move jobs through their lifecycle, on the test store and a clock the test
 * moves, for ITs that need queued, claimed and retried jobs in the real tables.
 */
final class StoreServices {

  final MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MICROS));
  final SubmitJobService submit;
  final WorkerProtocolService worker;
  final ControlJobService control;
  final Caller submitter = new Caller("ci", Set.of(Role.SUBMITTER), null);
  final Caller workerCaller = new Caller("w", Set.of(Role.WORKER), null);

  StoreServices(PostgresStore store) {
    submit =
        submitOn(store)
            .clock(clock)
            .dependencies(store.jobDependencies())
            .limits(store.projectLimits())
            .build();
    worker =
        workerProtocolOn(store)
            .clock(clock)
            .random(() -> 0.5)
            .dependencies(store.jobDependencies())
            .limits(store.projectLimits())
            .build();
    control =
        new ControlJobService(
            store.jobRepository(),
            store.taskRepository(),
            store.jobLocks(),
            store.workerPresence(),
            store.telemetryRepository(),
            store.transactions(),
            clock,
            WorkloadOutbox.disabled());
  }

  /** A submit service on the store's ports; the test adds the clock and what else it needs. */
  static SubmitJobService.Builder submitOn(PostgresStore store) {
    return SubmitJobService.builder()
        .jobs(store.jobRepository())
        .tasks(store.taskRepository())
        .presence(store.workerPresence())
        .keys(store.idempotencyKeys())
        .tx(store.transactions());
  }

  /**
   * A worker protocol on the store's ports (views in one statement); the test adds the clock, the
   * backoff jitter and what else it needs.
   */
  static WorkerProtocolService.Builder workerProtocolOn(PostgresStore store) {
    return WorkerProtocolService.builder()
        .jobs(store.jobRepository())
        .tasks(store.taskRepository())
        .locks(store.jobLocks())
        .claims(store.taskClaims())
        .presence(store.workerPresence())
        .positions(store.queuePositions())
        .views(store.jobViewReader())
        .telemetry(store.telemetryRepository())
        .tx(store.transactions());
  }

  /** Submits the job, then moves the clock on, so jobs submitted in turn have distinct ages. */
  JobSnapshot submitted(JobTestData data) {
    JobSnapshot job =
        submit.submit(new SubmitJobCommand(submitter, data.definition(), false, null)).job();
    clock.advance(Duration.ofMillis(10));
    return job;
  }

  List<Lease> claim(String workerId, List<String> queues, int max) {
    return worker.claim(
        new ClaimCommand(workerCaller, workerId, "host-" + workerId, queues, null, max, 30));
  }
}
