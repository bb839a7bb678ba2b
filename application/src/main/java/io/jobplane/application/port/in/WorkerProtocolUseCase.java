package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.Labels;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.Text;
import io.jobplane.domain.telemetry.Checkpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The worker protocol (docs/worker-protocol.md): claiming tasks under fenced leases and reporting
 * on them. Claims and reports need role WORKER (admin passes); reading tasks needs read access.
 */
public interface WorkerProtocolUseCase {

  int MAX_TASKS = 100;
  int MAX_QUEUES = 20;

  /** Most reports one batch may carry. */
  int MAX_REPORTS = 100;

  /** A worker's id as claims and releases take it: 1 to 128 visible ASCII characters. */
  static String requireWorkerId(String workerId) {
    if (workerId == null
        || workerId.isEmpty()
        || workerId.length() > 128
        || !workerId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw DomainException.invalid("worker_id", "must be 1 to 128 visible ASCII characters");
    }
    return workerId;
  }

  /**
   * A claim; defaults: queues ["default"], max_tasks 1, lease 30 s, no labels. {@code labels} are
   * the worker's (validated like a job's): jobs with a {@code worker_selector} go only to workers
   * whose labels match it.
   */
  record ClaimCommand(
      Caller caller,
      String workerId,
      String hostname,
      List<String> queues,
      List<String> types,
      int maxTasks,
      int leaseSeconds,
      Labels labels) {

    /** A claim of a worker without labels. */
    public ClaimCommand(
        Caller caller,
        String workerId,
        String hostname,
        List<String> queues,
        List<String> types,
        int maxTasks,
        int leaseSeconds) {
      this(caller, workerId, hostname, queues, types, maxTasks, leaseSeconds, Labels.EMPTY);
    }

    /** The same claim from a worker labelled {@code newLabels}. */
    public ClaimCommand withLabels(Labels newLabels) {
      return new ClaimCommand(
          caller, workerId, hostname, queues, types, maxTasks, leaseSeconds, newLabels);
    }

    public ClaimCommand {
      Objects.requireNonNull(caller, "caller");
      labels = labels == null ? Labels.EMPTY : labels;
      requireWorkerId(workerId);
      if (hostname != null) {
        Text.displayText(hostname, "hostname", 253);
      }
      queues = queues == null ? List.of("default") : List.copyOf(queues);
      if (queues.isEmpty() || queues.size() > MAX_QUEUES) {
        throw DomainException.invalid("queues", "must name 1 to " + MAX_QUEUES + " queues");
      }
      queues.forEach(q -> Text.identifier(q, "queues"));
      if (types != null) {
        types = List.copyOf(types);
        if (types.isEmpty() || types.size() > MAX_QUEUES) {
          throw DomainException.invalid("types", "must name 1 to " + MAX_QUEUES + " types");
        }
        types.forEach(t -> Text.identifier(t, "types"));
      }
      if (maxTasks < 1 || maxTasks > MAX_TASKS) {
        throw DomainException.invalid("max_tasks", "must be between 1 and " + MAX_TASKS);
      }
      if (leaseSeconds < TaskState.MIN_LEASE_SECONDS
          || leaseSeconds > TaskState.MAX_LEASE_SECONDS) {
        throw DomainException.invalid(
            "lease_seconds",
            "must be between "
                + TaskState.MIN_LEASE_SECONDS
                + " and "
                + TaskState.MAX_LEASE_SECONDS);
      }
    }
  }

  /**
   * A leased task and its job as stored after the claim; {@code checkpoint} is the one a restart
   * named for this run, else null. {@code env} is the environment the holder runs the job's command
   * with: its plain variables and the decrypted values of its secret references (null without a
   * command). {@code leaseToken} is the proof of holding every report must present. Both are for
   * the lease holder alone: they exist only in this answer (the store keeps the token's hash).
   */
  record Lease(
      JobSnapshot job,
      TaskState task,
      Checkpoint checkpoint,
      Map<String, String> env,
      String leaseToken) {

    /** A lease of a job whose environment holds no secret references. */
    public Lease(JobSnapshot job, TaskState task, Checkpoint checkpoint, String leaseToken) {
      this(
          job,
          task,
          checkpoint,
          job == null || job.definition().command() == null
              ? null
              : job.definition().command().env(),
          leaseToken);
    }

    @Override
    public String toString() {
      // the environment holds decrypted secrets and the token proves holding: never in a log line
      return "Lease[job="
          + (job == null ? null : job.id())
          + ", task="
          + (task == null ? null : task.index())
          + "]";
    }
  }

  /** What a heartbeat answers: the lease as extended, and a stop request if there is one. */
  record HeartbeatAnswer(TaskState task, StopRequest stop) {}

  /** The job is being stopped: finish or checkpoint before {@code deadline}, report stopped. */
  record StopRequest(StopMode mode, Instant deadline) {}

  /** Identifies the lease a report is about, with the token that proves holding it. */
  record LeaseRef(Caller caller, JobId jobId, int taskIndex, long epoch, String leaseToken) {
    public LeaseRef {
      Objects.requireNonNull(caller, "caller");
      Objects.requireNonNull(jobId, "jobId");
      if (taskIndex < 0) {
        throw DomainException.invalid("task_index", "must not be negative");
      }
    }
  }

  /**
   * What became of one report of a batch: accepted, with the task as it is now (and, for a
   * heartbeat, the stop request if there is one), or refused for the reason a single-lease call
   * would have failed with (a stale lease, a job the caller cannot see, ...), having changed
   * nothing.
   */
  record ReportOutcome(
      LeaseReport report, TaskState task, StopRequest stop, DomainException refusal) {

    public ReportOutcome {
      Objects.requireNonNull(report, "report");
      if ((task == null) == (refusal == null)) {
        throw new IllegalArgumentException("an outcome has either a task or a refusal");
      }
    }

    public static ReportOutcome accepted(LeaseReport report, TaskState task, StopRequest stop) {
      return new ReportOutcome(report, task, stop, null);
    }

    public static ReportOutcome refused(LeaseReport report, DomainException refusal) {
      return new ReportOutcome(report, null, null, refusal);
    }

    public boolean isAccepted() {
      return refusal == null;
    }
  }

  /**
   * Claims up to {@code max_tasks} tasks in one transaction whose number of statements does not
   * grow with {@code max_tasks}.
   */
  List<Lease> claim(ClaimCommand command);

  /**
   * Applies 1 to {@link #MAX_REPORTS} reports, possibly on many leases, in one transaction and in
   * request order. Each report is fenced on its own: a refused one (stale lease, a job the caller
   * cannot see, a stop that was not asked for) changes nothing and is answered as refused, the
   * others are kept. Role WORKER is checked for the whole call.
   */
  List<ReportOutcome> report(Caller caller, List<LeaseReport> reports);

  HeartbeatAnswer heartbeat(LeaseRef lease, Integer progress, TaskItems items);

  TaskState complete(LeaseRef lease, String outputJson, Boolean changed);

  TaskState fail(LeaseRef lease, JobError error, Integer exitCode, boolean retryable);

  TaskState stopped(LeaseRef lease);

  /** The tasks of the job's current run, by index (read access). */
  List<TaskState> tasks(Caller caller, JobId jobId);

  /**
   * Why the job is still waiting (read access): for a QUEUED job, or a RUNNING one with queued
   * tasks, its position in its queue and what holds it; for a SUSPENDED job, that it is suspended.
   * Empty for every other job.
   */
  Optional<QueueWait> waiting(Caller caller, JobId jobId);

  /**
   * A job with the tasks of its current run, why it waits and, while it is unfinished, the seconds
   * until it is done (see {@link io.jobplane.domain.telemetry.EtaEstimator}; null when unknown).
   */
  record JobView(
      JobSnapshot job,
      List<TaskState> tasks,
      Optional<QueueWait> waiting,
      Long estimatedSecondsRemaining) {}

  /**
   * What {@link #tasks} and {@link #waiting} answer together, and the estimate, from one read of
   * the job (one statement; a queued run adds one for its queue position).
   */
  JobView view(Caller caller, JobId jobId);
}
