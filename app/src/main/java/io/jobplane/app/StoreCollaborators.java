package io.jobplane.app;

import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.application.service.CollaboratorsBuilder;
import io.jobplane.application.service.ControlJobService;
import io.jobplane.application.service.WorkloadOutbox;
import java.time.Clock;

/**
 * What every service built by name takes from the store, set once for all of them; and the control
 * service, which the API and the operator's schedules build alike.
 */
final class StoreCollaborators {

  private StoreCollaborators() {}

  /** The job and task stores, the workers' presence and the transactions of the store. */
  static <B extends CollaboratorsBuilder<B>> B onStore(
      B builder, PostgresStore store, Clock clock) {
    return builder
        .jobs(store.jobRepository())
        .tasks(store.taskRepository())
        .presence(store.workerPresence())
        .tx(store.transactions())
        .clock(clock);
  }

  /**
   * Stop, restart, suspend, resume and delete on the store; {@code workloads} takes the intents of
   * Kubernetes jobs.
   */
  static ControlJobService controlJobs(PostgresStore store, Clock clock, WorkloadOutbox workloads) {
    return new ControlJobService(
        store.jobRepository(),
        store.taskRepository(),
        store.jobLocks(),
        store.workerPresence(),
        store.telemetryRepository(),
        store.transactions(),
        clock,
        workloads);
  }
}
