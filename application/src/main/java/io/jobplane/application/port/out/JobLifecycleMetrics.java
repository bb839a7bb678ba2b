package io.jobplane.application.port.out;

import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TimelineEvent;

/**
 * What operators alert on: how long jobs wait in their queue, how long they run and how they end.
 * Told about each stored transition once it is written (in the writing transaction, which may still
 * roll back: a metric can count a transition that did not commit, never miss one that did).
 */
public interface JobLifecycleMetrics {

  /** {@code event} is one transition of {@code job}, which is the job as stored by it. */
  void transitioned(JobSnapshot job, TimelineEvent event);

  JobLifecycleMetrics NONE = (job, event) -> {};
}
