package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import java.util.List;

/** Following timelines live: events after an id, limited to what the caller may see. */
public interface WatchJobsUseCase {

  int MAX_BATCH = 500;

  /**
   * Events with an id greater than {@code afterId}, ascending, at most {@code limit}; of one job
   * when {@code jobId} is not null (NOT_FOUND if the caller cannot see it), else of every job the
   * caller can see.
   */
  List<FeedEvent> eventsAfter(Caller caller, JobId jobId, long afterId, int limit);

  /** Checks that the caller may watch the job (or all its visible jobs when jobId is null). */
  void requireWatchable(Caller caller, JobId jobId);
}
