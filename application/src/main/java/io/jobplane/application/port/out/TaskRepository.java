package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.Labels;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.query.LabelSelector;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Durable home of the tasks of job runs, and the row locks that serialize everything that moves a
 * job through its tasks. Every method joins the caller's transaction ({@link TransactionRunner});
 * locks are held until it ends.
 *
 * <p>Lock order, so nothing deadlocks: whoever changes tasks of a job locks the job row first
 * ({@link #lockJob} waiting; several jobs with {@link #lockJobs}, which takes them in id order, so
 * two batches that share jobs cannot wait on each other in a cycle), except claims, which lock task
 * rows first and then the job rows without waiting ({@code skipLocked}), skipping jobs someone else
 * is busy with.
 */
public interface TaskRepository {

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
   * What one claim tells about the worker that sent it: the queues it polls, its host, when, how
   * many tasks it asked for and how many it got.
   */
  record WorkerPresence(
      String workerId,
      String hostname,
      List<String> queues,
      int tasksRequested,
      int tasksLeased,
      Instant seenAt,
      Identity identity) {
    public WorkerPresence {
      queues = List.copyOf(queues);
      identity = identity == null ? Identity.NONE : identity;
    }

    /** A presence of a worker without labels, types or a project-limited token. */
    public WorkerPresence(
        String workerId,
        String hostname,
        List<String> queues,
        int tasksRequested,
        int tasksLeased,
        Instant seenAt) {
      this(workerId, hostname, queues, tasksRequested, tasksLeased, seenAt, Identity.NONE);
    }
  }

  /**
   * What a worker declares besides its queues, and whom its token serves: its labels, the job types
   * it claims (null: any) and the projects its token is limited to (null: every project).
   */
  record Identity(Labels labels, List<String> types, Set<String> projects) {
    public static final Identity NONE = new Identity(Labels.EMPTY, null, null);

    public Identity {
      labels = labels == null ? Labels.EMPTY : labels;
      types = types == null ? null : List.copyOf(types);
      projects = projects == null ? null : Set.copyOf(projects);
    }
  }

  void insert(List<TaskState> tasks);

  /** Writes the new state of existing tasks. */
  void update(List<TaskState> tasks);

  /** The tasks of one run, by index. */
  List<TaskState> forRun(JobId jobId, int runId);

  /**
   * The tasks of several runs in one read ({@code runs}: job id to run id), by job, then index; a
   * run without tasks contributes none.
   */
  List<TaskState> forRuns(Map<JobId, Integer> runs);

  /** The highest epoch any task of the job ever had (0 without tasks). */
  long lastEpoch(JobId jobId);

  /**
   * Locks the job's row for the rest of the transaction and returns it. With {@code skipLocked},
   * returns empty instead of waiting when another transaction holds the lock.
   */
  Optional<JobSnapshot> lockJob(JobId id, boolean skipLocked);

  /**
   * Locks the rows of the given jobs, in id order and in one statement, for the rest of the
   * transaction and returns them in id order. Jobs that do not exist are absent; with {@code
   * skipLocked}, so are jobs another transaction holds (instead of being waited for).
   */
  List<JobSnapshot> lockJobs(Collection<JobId> ids, boolean skipLocked);

  /** A locked job with the tasks of its current run, by index. */
  record LockedRun(JobSnapshot job, List<TaskState> tasks) {
    public LockedRun {
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * {@link #lockJobs} and {@link #forRuns} of the locked jobs together, in id order. A store that
   * can do both in one round trip should: every claim and every report starts with this.
   */
  default List<LockedRun> lockRuns(Collection<JobId> ids, boolean skipLocked) {
    List<JobSnapshot> locked = lockJobs(ids, skipLocked);
    Map<JobId, Integer> runIds = new LinkedHashMap<>();
    locked.forEach(j -> runIds.put(j.id(), j.runId()));
    Map<JobId, List<TaskState>> byJob = new HashMap<>();
    for (TaskState t : forRuns(runIds)) {
      byJob.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t);
    }
    return locked.stream()
        .map(j -> new LockedRun(j, byJob.getOrDefault(j.id(), List.of())))
        .toList();
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
   * Jobs where time alone decides something: a RUNNING task whose lease expired or whose stop
   * deadline passed, or an active job past its timeout. Locks nothing; the sweeper locks each job.
   */
  List<JobId> jobsToSweep(Instant now, int limit);

  /** Records (inserts or replaces) the worker's presence; called in the claim's transaction. */
  void recordWorker(WorkerPresence presence);

  /** How many workers polled {@code queue} at or after {@code since}. */
  int activeWorkers(String queue, Instant since);

  /**
   * The workers that polled {@code queue} at or after {@code since} (or hold a lease live at or
   * after it: a worker busy with all its slots does not claim), whose labels match {@code
   * selector}, that may claim jobs of {@code project} and {@code type} (their token and types allow
   * it): names and host names, by name, at most {@code limit}.
   */
  List<LiveWorker> liveWorkers(
      String queue, String project, String type, LabelSelector selector, Instant since, int limit);

  /**
   * QUEUED or RUNNING jobs with a queued task bound to a worker that is gone: not seen claiming at
   * or after {@code since} and holding no lease live at or after it. Locks nothing.
   */
  List<JobId> jobsWithLostWorkers(Instant since, int limit);

  /** Of {@code names}, the workers that are gone (as {@link #jobsWithLostWorkers} means it). */
  Set<String> lostWorkers(Collection<String> names, Instant since);

  /**
   * Broadcasts that take late joiners which the worker of {@code filter} may join now: QUEUED or
   * RUNNING and desired RUNNING, in its queues (types, projects), whose selector its labels match,
   * and with no task of the current run bound to it. At most {@code limit}, by id; locks nothing.
   */
  List<JobId> joinableBroadcasts(ClaimFilter filter, int limit);

  /** A live worker: its name (worker id) and host. */
  record LiveWorker(String name, String hostname) {}

  /**
   * How many tasks of other jobs a worker of the job's queue would claim before the first queued
   * task of the job's current run ({@code run_id}): claimable now (QUEUED, backoff over, current
   * run of a QUEUED or RUNNING job desired RUNNING), ahead in claim order (priority desc, job
   * creation, job id). Counts at most {@code cap}, and must cost no more than reading that many
   * entries of an index (a queue may hold millions); 0 when the run has no queued task.
   */
  long tasksAhead(JobId jobId, int runId, Instant now, long cap);
}
