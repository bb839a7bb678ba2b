package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a worker's claim may take: the queued tasks it may lease now, and the broadcasts it may join
 * late. Every method joins the caller's transaction ({@link TransactionRunner}).
 */
public interface TaskClaims {

  /** Identifies one task of one run. */
  record TaskKey(JobId jobId, int runId, int index) {}

  /**
   * Which queued tasks a worker may claim: queues (required), types and projects (null = any); of
   * the tasks placed on workers, those whose job's worker_selector matches {@code labels} and those
   * bound to the worker named {@code workerId} (null: a claim of no worker, which takes no bound
   * task).
   */
  record ClaimFilter(
      List<String> queues,
      List<String> types,
      Set<String> projects,
      String workerId,
      Labels labels) {
    public ClaimFilter {
      queues = List.copyOf(queues);
      types = types == null ? null : List.copyOf(types);
      projects = projects == null ? null : Set.copyOf(projects);
      labels = labels == null ? Labels.EMPTY : labels;
    }

    /** The filter of a claim without a worker name or labels. */
    public ClaimFilter(List<String> queues, List<String> types, Set<String> projects) {
      this(queues, types, projects, null, Labels.EMPTY);
    }
  }

  /**
   * Locks (skipping rows other transactions hold) and returns up to {@code limit} tasks a worker
   * may lease now: QUEUED, backoff over, of the job's current run, the job QUEUED or RUNNING and
   * desired RUNNING, matching the filter. Within a project, highest priority first, then oldest
   * job, then index; across the projects sharing a queue, fair share: the project with the fewest
   * running jobs per unit of its weight ({@link io.jobplane.domain.ProjectLimits#weight()}) first.
   * No task is returned whose job would pass its project's or queue's {@code max_running} ({@link
   * io.jobplane.domain.RunningRoom}); the store keeps that true under concurrent claims until the
   * caller's transaction ends.
   */
  List<TaskKey> claimCandidates(ClaimFilter filter, Instant now, int limit);

  /**
   * Broadcasts that take late joiners which the worker of {@code filter} may join now: QUEUED or
   * RUNNING and desired RUNNING, in its queues (types, projects), whose selector its labels match,
   * and with no task of the current run bound to it. At most {@code limit}, by id; locks nothing.
   */
  List<JobId> joinableBroadcasts(ClaimFilter filter, int limit);
}
