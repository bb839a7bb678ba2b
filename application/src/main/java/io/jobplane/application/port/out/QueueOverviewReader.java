package io.jobplane.application.port.out;

import io.jobplane.domain.QueueCounts;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Counts per queue for the queues overview, read without touching finished jobs. */
public interface QueueOverviewReader {

  /**
   * The queues of {@code projects} (null: every project) that have unfinished jobs, ordered by
   * project and queue, at most {@code limit} of them.
   *
   * @param activeSince a worker that polled a queue since then is active for it
   * @param now retries whose backoff ends after this are in backoff
   */
  List<QueueCounts> read(Set<String> projects, Instant activeSince, Instant now, int limit);
}
