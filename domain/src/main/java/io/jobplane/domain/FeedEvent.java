package io.jobplane.domain;

import java.util.Objects;

/**
 * A timeline event with its store-wide id, which grows with every event appended to any job: what
 * live watchers resume from ({@code Last-Event-ID}).
 */
public record FeedEvent(long id, JobId jobId, String project, TimelineEvent event) {

  public FeedEvent {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(event, "event");
  }
}
