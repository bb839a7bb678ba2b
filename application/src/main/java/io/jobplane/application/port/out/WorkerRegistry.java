package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The workers the store has seen (table {@code workers}, written by every claim through {@link
 * WorkerPresence#recordWorker}): listed for {@code GET /api/v1/workers}, and forgotten once they
 * have not claimed for a while.
 */
public interface WorkerRegistry {

  /** The most tasks one listed worker shows; a worker holding more shows the first ones. */
  int MAX_TASKS_SHOWN = 100;

  /**
   * Which workers to list.
   *
   * @param seenSince only workers that claimed at or after this instant (the live ones)
   * @param selector only workers whose labels match ({@link LabelSelector#EVERYTHING}: any)
   * @param queue only workers polling this queue, or null for any
   * @param projects the caller's projects (null: every project). A project-limited caller sees only
   *     workers whose token is limited to at least one of them, and only their tasks of jobs of
   *     those projects; a worker with an unscoped token is listed to unscoped callers only.
   * @param limit at most this many, by worker id
   */
  record WorkerFilter(
      Instant seenSince, LabelSelector selector, String queue, Set<String> projects, int limit) {
    public WorkerFilter {
      Objects.requireNonNull(seenSince, "seenSince");
      selector = selector == null ? LabelSelector.EVERYTHING : selector;
      projects = projects == null ? null : Set.copyOf(projects);
    }
  }

  /**
   * A task a worker holds a lease of: its job, run, index, when the lease was last taken or
   * extended (a claim or a heartbeat) and when it expires.
   */
  record HeldTask(
      JobId jobId, int runId, int taskIndex, Instant lastHeartbeatAt, Instant leaseExpiresAt) {}

  /**
   * One worker as its latest claims described it.
   *
   * @param projects the projects its token is limited to, null for an unscoped token
   * @param types the job types it claims, null for any
   */
  record WorkerRecord(
      String workerId,
      String hostname,
      Labels labels,
      List<String> queues,
      List<String> types,
      Set<String> projects,
      Instant firstSeenAt,
      Instant lastSeenAt,
      int tasksRequested,
      int tasksLeased,
      List<HeldTask> tasks) {
    public WorkerRecord {
      labels = labels == null ? Labels.EMPTY : labels;
      queues = List.copyOf(queues);
      types = types == null ? null : List.copyOf(types);
      projects = projects == null ? null : Set.copyOf(projects);
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * The matching workers, by worker id, at most {@code filter.limit()}, each with up to {@link
   * #MAX_TASKS_SHOWN} of the tasks it holds (RUNNING leases) that the filter's projects allow.
   */
  List<WorkerRecord> list(WorkerFilter filter);

  /** Deletes the rows of workers not seen since {@code notSeenSince}; how many went. */
  int forget(Instant notSeenSince);
}
