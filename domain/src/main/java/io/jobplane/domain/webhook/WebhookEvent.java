package io.jobplane.domain.webhook;

import io.jobplane.domain.EventType;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One job event as a webhook receives it. {@code id} is the delivery's id: stable across retries
 * and redeliveries, so a receiver that keeps the ids it acknowledged sees each event once.
 */
public record WebhookEvent(UUID id, Job job, Transition transition) {

  /** The job as it was when the event happened. */
  public record Job(JobId id, String name, String project, String type) {
    public Job {
      Objects.requireNonNull(id, "id");
    }
  }

  /** What happened: the event, the statuses around it, in which run and attempt, and when. */
  public record Transition(
      EventType type, JobStatus from, JobStatus to, int runId, int attempt, Instant at) {
    public Transition {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(at, "at");
    }
  }

  public WebhookEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(transition, "transition");
  }
}
