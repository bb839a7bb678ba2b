package io.jobplane.application.testing;

import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.domain.JobId;
import java.util.Set;

/** Signals what the in-memory repositories write, as the database's NOTIFY triggers do. */
public final class InMemoryChangeSignals implements ChangeSignals {

  private volatile Listener listener;

  @Override
  public AutoCloseable listen(Listener l) {
    this.listener = l;
    return () -> this.listener = null;
  }

  public void timelineChanged() {
    Listener l = listener;
    if (l != null) {
      l.timelineChanged();
    }
  }

  public void logsChanged(JobId job) {
    Listener l = listener;
    if (l != null) {
      l.logsChanged(Set.of(job));
    }
  }
}
