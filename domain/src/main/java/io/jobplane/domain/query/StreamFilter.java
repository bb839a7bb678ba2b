package io.jobplane.domain.query;

import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.JobStatus;
import java.util.Set;

/**
 * Which events a live list stream carries: the list's filters that make sense for a stream of
 * changes. {@code statuses} matches the status an event moved the job to, so a client watching
 * {@code status=failed} sees each job as it fails. All fields are optional (null = any).
 */
public record StreamFilter(
    Set<JobStatus> statuses, String project, String type, String queue, LabelSelector labels) {

  public static final StreamFilter ALL = new StreamFilter(null, null, null, null, null);

  public StreamFilter {
    statuses = statuses == null || statuses.isEmpty() ? null : Set.copyOf(statuses);
    labels = labels == null ? LabelSelector.EVERYTHING : labels;
  }

  public boolean matches(FeedEvent e) {
    var job = e.job();
    return (statuses == null || statuses.contains(e.event().to()))
        && (project == null || project.equals(job.project()))
        && (type == null || type.equals(job.type()))
        && (queue == null || queue.equals(job.queue()))
        && labels.matches(job.labels().values());
  }
}
