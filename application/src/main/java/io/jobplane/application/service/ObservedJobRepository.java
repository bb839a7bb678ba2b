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
  public List<JobSnapshot> insertAll(List<Job> added) {
    return told(added, jobs.insertAll(added));
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
    return told(changed, jobs.updateAll(changed));
  }

  /**
   * The jobs' events are still theirs after the write: a Job keeps them until it is loaded anew.
   */
  private List<JobSnapshot> told(List<Job> written, List<JobSnapshot> stored) {
    for (int i = 0; i < stored.size(); i++) {
      tell(stored.get(i), written.get(i).uncommittedEvents());
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
