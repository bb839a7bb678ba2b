package io.jobplane.application.service;

import io.jobplane.application.port.in.WatchJobsUseCase;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobId;
import java.util.List;
import java.util.Objects;

public final class WatchJobsService implements WatchJobsUseCase {

  private final JobRepository jobs;
  private final TimelineFeed feed;

  public WatchJobsService(JobRepository jobs, TimelineFeed feed) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.feed = Objects.requireNonNull(feed, "feed");
  }

  @Override
  public void requireWatchable(Caller caller, JobId jobId) {
    AccessPolicy.requireRead(caller);
    if (jobId != null) {
      AccessPolicy.visible(caller, jobs.findById(jobId).orElse(null));
    }
  }

  @Override
  public List<FeedEvent> eventsAfter(Caller caller, JobId jobId, long afterId, int limit) {
    if (limit < 1 || limit > MAX_BATCH) {
      throw DomainException.invalid("limit", "must be between 1 and " + MAX_BATCH);
    }
    if (afterId < 0) {
      throw DomainException.invalid("Last-Event-ID", "must not be negative");
    }
    requireWatchable(caller, jobId);
    // the project filter also hides events of a job whose project changed out of sight
    return feed.eventsAfter(afterId, jobId, caller.projects(), limit);
  }
}
