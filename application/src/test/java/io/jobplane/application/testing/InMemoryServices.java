package io.jobplane.application.testing;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.service.SubmitJobService;
import io.jobplane.application.service.WorkerProtocolService;
import java.time.Clock;

/**
 * Builders of the services that take a port per concern of the task table, every one of them the
 * same {@link InMemoryTaskRepository}; a test adds the optional collaborators it needs and builds.
 */
public final class InMemoryServices {

  private InMemoryServices() {}

  public static SubmitJobService.Builder submit(
      JobRepository jobs,
      InMemoryTaskRepository tasks,
      IdempotencyKeys keys,
      TransactionRunner tx,
      Clock clock) {
    return SubmitJobService.builder()
        .jobs(jobs)
        .tasks(tasks)
        .presence(tasks)
        .keys(keys)
        .tx(tx)
        .clock(clock);
  }

  /** Views read by {@link SeparateReadsJobViewReader}; the backoff jitter is always 0.5. */
  public static WorkerProtocolService.Builder workerProtocol(
      JobRepository jobs,
      InMemoryTaskRepository tasks,
      TelemetryRepository telemetry,
      TransactionRunner tx,
      Clock clock) {
    return WorkerProtocolService.builder()
        .jobs(jobs)
        .tasks(tasks)
        .locks(tasks)
        .claims(tasks)
        .presence(tasks)
        .positions(tasks)
        .views(new SeparateReadsJobViewReader(jobs, tasks, tasks, telemetry))
        .telemetry(telemetry)
        .tx(tx)
        .clock(clock)
        .random(() -> 0.5);
  }
}
