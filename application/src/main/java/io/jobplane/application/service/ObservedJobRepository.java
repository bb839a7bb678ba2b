package io.jobplane.application.service;

import io.jobplane.application.port.out.JobLifecycleMetrics;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TimelineEvent;
import java.util.List;

/**
 * A job repository that tells {@link JobLifecycleMetrics} about every transition it stores, after
 * the write succeeded, whichever service or path made it.
 */
public final class ObservedJobRepository extends ForwardingJobRepository {

  private final JobLifecycleMetrics metrics;

  public ObservedJobRepository(JobRepository jobs, JobLifecycleMetrics metrics) {
    super(jobs);
    this.metrics = metrics;
  }

  @Override
  public JobSnapshot insert(Job job) {
    List<TimelineEvent> events = job.uncommittedEvents();
    JobSnapshot stored = jobs.insert(job);
    tell(stored, events);
    return stored;
  }

  @Override
  public JobSnapshot update(Job job) {
    List<TimelineEvent> events = job.uncommittedEvents();
    JobSnapshot stored = jobs.update(job);
    tell(stored, events);
    return stored;
  }

  @Override
  public List<JobSnapshot> updateAll(List<Job> changed) {
    List<List<TimelineEvent>> events = changed.stream().map(Job::uncommittedEvents).toList();
    List<JobSnapshot> stored = jobs.updateAll(changed);
    for (int i = 0; i < stored.size(); i++) {
      tell(stored.get(i), events.get(i));
    }
    return stored;
  }

  private void tell(JobSnapshot stored, List<TimelineEvent> events) {
    for (TimelineEvent e : events) {
      if (e.to() != null && e.from() != e.to()) {
        metrics.transitioned(stored, e);
      }
    }
  }
}
