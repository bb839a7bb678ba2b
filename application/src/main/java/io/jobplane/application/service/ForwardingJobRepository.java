package io.jobplane.application.service;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.Page;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A job repository that passes everything on; decorators override the writes they observe. */
abstract class ForwardingJobRepository implements JobRepository {

  final JobRepository jobs;

  ForwardingJobRepository(JobRepository jobs) {
    this.jobs = jobs;
  }

  @Override
  public JobSnapshot insert(Job job) {
    return jobs.insert(job);
  }

  @Override
  public List<JobSnapshot> insertAll(List<Job> added) {
    return jobs.insertAll(added);
  }

  @Override
  public JobSnapshot update(Job job) {
    return jobs.update(job);
  }

  @Override
  public List<JobSnapshot> updateAll(List<Job> changed) {
    return jobs.updateAll(changed);
  }

  @Override
  public Optional<JobSnapshot> findById(JobId id) {
    return jobs.findById(id);
  }

  @Override
  public void delete(JobId id, long expectedVersion) {
    jobs.delete(id, expectedVersion);
  }

  @Override
  public JobPage list(JobQuery query) {
    return jobs.list(query);
  }

  @Override
  public Page<TimelineEvent> timeline(JobId id, int limit, int offset) {
    return jobs.timeline(id, limit, offset);
  }

  @Override
  public List<TimelineEvent> latestEvents(JobId id, int limit) {
    return jobs.latestEvents(id, limit);
  }

  @Override
  public Map<JobStatus, Long> countByStatus() {
    return jobs.countByStatus();
  }
}
