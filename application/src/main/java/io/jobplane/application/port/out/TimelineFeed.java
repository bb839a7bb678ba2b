package io.jobplane.application.port.out;

import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import java.util.List;
import java.util.Set;

/** The timeline of every job in append order, by store-wide event id. */
public interface TimelineFeed {

  /**
   * Events with id greater than {@code afterId}, ascending, at most {@code limit}; only of {@code
   * jobId} when not null; only of jobs in {@code projects} when not null.
   */
  List<FeedEvent> eventsAfter(long afterId, JobId jobId, Set<String> projects, int limit);

  /**
   * The id of the newest event {@link #eventsAfter} would return now (0 when none): where a live
   * reader that has seen nothing yet starts.
   */
  long settledHead();

  /** The id of the newest event stored, settled or not (0 when none). */
  long head();
}
