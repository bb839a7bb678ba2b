package io.jobplane.application.testing;

import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.domain.JobId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Signals what the in-memory repositories write, as the database's NOTIFY triggers do, to every
 * listener (like the store's one LISTEN connection).
 */
public final class InMemoryChangeSignals implements ChangeSignals {

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public AutoCloseable listen(Listener l) {
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  public void timelineChanged() {
    listeners.forEach(Listener::timelineChanged);
  }

  public void logsChanged(JobId job) {
    listeners.forEach(l -> l.logsChanged(Set.of(job)));
  }

  public void workQueued(String... queues) {
    listeners.forEach(l -> l.workQueued(Set.of(queues)));
  }

  /** As after the store's listening connection was lost and opened again. */
  public void resync() {
    listeners.forEach(Listener::resync);
  }

  public int listeners() {
    return listeners.size();
  }
}
