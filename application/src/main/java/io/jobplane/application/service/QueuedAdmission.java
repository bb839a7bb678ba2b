package io.jobplane.application.service;

import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import java.util.HashSet;
import java.util.Set;

/**
 * The {@code max_queued} limits of projects and queues, as {@link SubmitJobService} applies them.
 */
final class QueuedAdmission {

  private final ProjectLimitsStore limits;

  QueuedAdmission(ProjectLimitsStore limits) {
    this.limits = limits;
  }

  /** Those of the projects that have a queued limit (one read). */
  Set<String> limitedOf(Set<String> projects) {
    Set<String> limited = new HashSet<>();
    for (ProjectLimitsStore.StoredLimits l : limits.find(projects)) {
      if (l.limits().limitsQueued()) {
        limited.add(l.project());
      }
    }
    return limited;
  }

  /**
   * Refuses a job that would wait (PENDING, SUSPENDED or QUEUED) beyond its project's or queue's
   * {@code max_queued} (TOO_MANY_REQUESTS; the transaction rolls back, so nothing is stored, nor
   * the rest of a job graph). Only a project with a queued limit is locked and counted: the lock
   * serializes the project's submits until they commit, so counts taken after it see every job
   * admitted before, and a graph's own earlier nodes.
   */
  void admit(JobSnapshot job) {
    if (!(job.status() == JobStatus.PENDING
        || job.status() == JobStatus.SUSPENDED
        || job.status() == JobStatus.QUEUED)) {
      return;
    }
    String project = job.definition().project();
    String queue = job.definition().queue();
    ProjectLimits limit =
        limits.find(project).map(ProjectLimitsStore.StoredLimits::limits).orElse(null);
    if (limit == null || !limit.limitsQueued()) {
      return;
    }
    limits.lockAdmission(project);
    Long queueMax = limit.queue(queue).maxQueued();
    limit.admitQueued(
        project,
        queue,
        limit.maxQueued() == null ? 0 : limits.waitingJobs(project, null, limit.maxQueued()),
        queueMax == null ? 0 : limits.waitingJobs(project, queue, queueMax));
  }
}
