package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.application.service.WorkloadOutbox;
import io.jobplane.application.service.WorkloadRelay;
import java.time.Clock;
import java.time.Duration;

/**
 * The outbox and its relay in memory, delivering on the committing thread: a test sees the cluster
 * calls done by the time the service returns, as a quick relay would make them.
 */
public final class TestWorkloads {

  public final InMemoryWorkloadIntents intents = new InMemoryWorkloadIntents();
  public final WorkloadRelay relay;
  public final WorkloadOutbox outbox;

  public TestWorkloads(
      WorkloadRuntime runtime,
      JobRepository jobs,
      JobLocks locks,
      TransactionRunner tx,
      Clock clock) {
    relay = new WorkloadRelay(intents, runtime, jobs, locks, tx, clock, Runnable::run);
    outbox = new WorkloadOutbox(runtime, intents, relay, tx, clock, Duration.ofSeconds(5));
  }
}
