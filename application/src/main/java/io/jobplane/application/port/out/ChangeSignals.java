package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.util.Set;

/**
 * Tells the process that the store changed, whoever wrote it (this process, another replica, the
 * operator): new timeline events, new log lines, work to claim. Signals carry no data; listeners
 * read what changed from the store, so a lost signal only delays, and {@link Listener#resync()}
 * says that signals may have been lost. One source serves every listener of the process.
 */
public interface ChangeSignals {

  /**
   * Called from the signal source's own thread; implementations must not block. A listener hears
   * only what it overrides.
   */
  interface Listener {
    default void timelineChanged() {}

    default void logsChanged(Set<JobId> jobs) {}

    /**
     * Tasks of these queues became claimable, or queued again to wait out a retry backoff: a
     * submit, a restart, a resume, a retry.
     */
    default void workQueued(Set<String> queues) {}

    /** Webhook deliveries were queued (job events matched a webhook's filter). */
    default void webhooksQueued() {}

    /** Signals may have been missed (the source reconnected): re-read everything followed. */
    void resync();
  }

  /** Starts delivering signals to {@code listener} until the returned handle is closed. */
  AutoCloseable listen(Listener listener);

  /** A store that never signals: streams then see only what they read when they open. */
  ChangeSignals NONE = listener -> () -> {};
}
