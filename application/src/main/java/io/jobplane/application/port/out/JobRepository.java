package io.jobplane.application.port.out;

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

/**
 * Durable home of jobs and their timelines. Writes are optimistic: {@link #update} succeeds only
 * when the stored version is the one the job was loaded with, otherwise it throws a CONFLICT {@link
 * io.jobplane.domain.DomainException} and changes nothing.
 */
public interface JobRepository {

  /** Stores a new job and its uncommitted events; returns it as stored (version 1). */
  JobSnapshot insert(Job job);

  /**
   * {@link #insert} for several new jobs at once, all or nothing; a store that can writes them in a
   * constant number of statements. Returns the jobs as stored, in the order given.
   */
  default List<JobSnapshot> insertAll(List<Job> jobs) {
    return jobs.stream().map(this::insert).toList();
  }

  /** Stores the job's new state and its uncommitted events; returns it with the next version. */
  JobSnapshot update(Job job);

  /**
   * {@link #update} for several jobs at once (each job at most once): every version is checked and
   * every job's events are appended, all or nothing, in a constant number of statements. Returns
   * the jobs as stored, in the order given.
   */
  List<JobSnapshot> updateAll(List<Job> jobs);

  Optional<JobSnapshot> findById(JobId id);

  /** Deletes the job and its timeline if it still has {@code expectedVersion}. */
  void delete(JobId id, long expectedVersion);

  JobPage list(JobQuery query);

  /** The job's timeline, oldest first. */
  Page<TimelineEvent> timeline(JobId id, int limit, int offset);

  /** The newest {@code limit} events, newest first. */
  List<TimelineEvent> latestEvents(JobId id, int limit);

  /** Number of jobs per status over the whole store. */
  Map<JobStatus, Long> countByStatus();
}
