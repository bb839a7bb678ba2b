package io.jobplane.application.testing;

import io.jobplane.domain.EventType;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import java.time.Instant;
import java.util.UUID;

/** Webhook events for tests. */
public final class WebhookTestData {

  private WebhookTestData() {}

  /** A fresh delivery of "a job of {@code project} succeeded at {@code at}". */
  public static WebhookEvent aSucceededJob(String project, Instant at) {
    return new WebhookEvent(
        UUID.randomUUID(),
        new WebhookEvent.Job(JobId.random(), "nightly", project, "import"),
        new WebhookEvent.Transition(
            EventType.SUCCEEDED, JobStatus.RUNNING, JobStatus.SUCCEEDED, 1, 1, at));
  }
}
