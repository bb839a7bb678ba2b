package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.util.Set;

/**
 * Tells the process that the store changed, whoever wrote it (this process, another replica, the
 * operator): new timeline events, new log lines. Signals carry no data; listeners read what changed
 * from the store, so a lost signal only delays, and {@link Listener#resync()} says that signals may
 * have been lost.
 */
public interface ChangeSignals {

  /** Called from the signal source's own thread; implementations must not block. */
  interface Listener {
    void timelineChanged();

    void logsChanged(Set<JobId> jobs);

    /** Signals may have been missed (the source reconnected): re-read everything followed. */
    void resync();
  }

  /** Starts delivering signals to {@code listener} until the returned handle is closed. */
  AutoCloseable listen(Listener listener);

  /** A store that never signals: streams then see only what they read when they open. */
  ChangeSignals NONE = listener -> () -> {};
}
