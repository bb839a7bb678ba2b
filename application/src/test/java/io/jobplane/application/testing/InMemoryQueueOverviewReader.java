package io.jobplane.application.testing;

import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.domain.QueueCounts;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Queue counts a test sets, answered as the port promises (only the asked projects, ordered by
 * project and queue, at most the limit); remembers what it was asked, so a test can tell that a
 * refused caller never reached the store.
 */
public final class InMemoryQueueOverviewReader implements QueueOverviewReader {

  private final List<QueueCounts> counts = new CopyOnWriteArrayList<>();
  public final List<Set<String>> askedFor = new CopyOnWriteArrayList<>();

  public InMemoryQueueOverviewReader add(QueueCounts queue) {
    counts.add(queue);
    return this;
  }

  @Override
  public List<QueueCounts> read(Set<String> projects, Instant activeSince, Instant now, int limit) {
    askedFor.add(projects == null ? Set.of("*") : projects);
    return counts.stream()
        .filter(c -> projects == null || projects.contains(c.project()))
        .sorted(Comparator.comparing(QueueCounts::project).thenComparing(QueueCounts::queue))
        .limit(limit)
        .toList();
  }
}
