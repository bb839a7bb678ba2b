package io.jobplane.app;

import io.jobplane.adapters.persistence.PostgresStore;
import io.jobplane.application.service.CollaboratorsBuilder;
import java.time.Clock;

/** What every service built by name takes from the store, set once for all of them. */
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
}
