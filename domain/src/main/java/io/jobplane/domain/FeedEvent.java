package io.jobplane.domain;

import java.util.Objects;

/**
 * A timeline event with its store-wide id, which grows with every event appended to any job: what
 * live watchers resume from ({@code Last-Event-ID}). {@code job} carries what streams filter on.
 */
public record FeedEvent(long id, JobId jobId, FeedJob job, TimelineEvent event) {

  public FeedEvent {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(event, "event");
  }

  public String project() {
    return job.project();
  }

  /** True when the event moved the job into a state it stays in until a restart. */
  public boolean finishesJob() {
    return event.to().isTerminal();
  }
}
