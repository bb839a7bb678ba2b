package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.out.CheckpointCatalog;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.JobViewReader.JobWithRun;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskRepository.ClaimFilter;
import io.jobplane.application.port.out.TaskRepository.TaskKey;
import io.jobplane.application.port.out.TaskRepository.WorkerPresence;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.EtaEstimator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Claims and reports, each in one transaction. A claim locks its candidate task rows (skipping
 * those other claims hold) and then each job row (skipping busy jobs), so two workers never get the
 * same task; a report locks the job row first, so all changes to one job's tasks serialize and the
 * job-level rules always see every task of the run.
 *
 * <p>Reading a job ({@link #view}) is one statement ({@link JobViewReader}); only a run with a
 * queued task adds one more, for its position in the queue.
 */
public final class WorkerProtocolService implements WorkerProtocolUseCase {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobViewReader views;
  private final CheckpointCatalog checkpoints;
  private final TransactionRunner tx;
  private final Clock clock;
  private final DoubleSupplier random;

  public WorkerProtocolService(
      JobRepository jobs,
      TaskRepository tasks,
      JobViewReader views,
      CheckpointCatalog checkpoints,
      TransactionRunner tx,
      Clock clock,
      DoubleSupplier random) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.views = Objects.requireNonNull(views, "views");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public List<Lease> claim(ClaimCommand c) {
    requireWorker(c.caller());
    ClaimFilter filter = new ClaimFilter(c.queues(), c.types(), c.caller().projects());
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          Map<JobId, List<TaskKey>> byJob = new LinkedHashMap<>();
          for (TaskKey key : tasks.claimCandidates(filter, now, c.maxTasks())) {
            byJob.computeIfAbsent(key.jobId(), k -> new ArrayList<>()).add(key);
          }
          List<Lease> leases = new ArrayList<>();
          for (Map.Entry<JobId, List<TaskKey>> entry : byJob.entrySet()) {
            JobSnapshot locked = tasks.lockJob(entry.getKey(), true).orElse(null);
            if (locked == null) {
              continue; // another transaction works on this job; its tasks stay for the next poll
            }
            JobRun run = Runs.of(tasks, locked);
            List<TaskState> leased = new ArrayList<>();
            for (TaskKey key : entry.getValue()) {
              if (key.runId() == locked.runId() && run.leasable(key.index(), now)) {
                leased.add(
                    run.lease(key.index(), c.workerId(), c.hostname(), c.leaseSeconds(), now));
              }
            }
            JobSnapshot stored = Runs.save(jobs, tasks, run);
            // a run restarted from a checkpoint hands it to every task's worker
            Checkpoint checkpoint =
                stored.checkpointId() == null
                    ? null
                    : checkpoints.checkpoint(stored.id(), stored.checkpointId()).orElse(null);
            leased.forEach(t -> leases.add(new Lease(stored, t, checkpoint)));
          }
          tasks.recordWorker(
              new WorkerPresence(
                  c.workerId(), c.hostname(), c.queues(), c.maxTasks(), leases.size(), now));
          return leases;
        });
  }

  @Override
  public HeartbeatAnswer heartbeat(LeaseRef lease, Integer progress, TaskItems items) {
    return report(
        lease,
        (run, now) -> {
          TaskState t = run.heartbeat(lease.taskIndex(), lease.epoch(), progress, items, now);
          JobSnapshot job = run.job().snapshot();
          StopRequest stop = null;
          if (t.stopDeadline() != null) {
            StopMode mode = job.stopMode() == null ? StopMode.GRACEFUL : job.stopMode();
            stop = new StopRequest(mode, t.stopDeadline());
          }
          return new HeartbeatAnswer(t, stop);
        });
  }

  @Override
  public TaskState complete(LeaseRef lease, String outputJson, Boolean changed) {
    return report(
        lease,
        (run, now) -> run.complete(lease.taskIndex(), lease.epoch(), outputJson, changed, now));
  }

  @Override
  public TaskState fail(LeaseRef lease, JobError error, Integer exitCode, boolean retryable) {
    Objects.requireNonNull(error, "error");
    return report(
        lease,
        (run, now) ->
            run.fail(
                lease.taskIndex(),
                lease.epoch(),
                error,
                exitCode,
                retryable,
                random.getAsDouble(),
                now));
  }

  @Override
  public TaskState stopped(LeaseRef lease) {
    return report(lease, (run, now) -> run.stopped(lease.taskIndex(), lease.epoch(), now));
  }

  @Override
  public List<TaskState> tasks(Caller caller, JobId jobId) {
    return read(caller, jobId, Clocks.now(clock)).tasks();
  }

  @Override
  public Optional<QueueWait> waiting(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    return waiting(read(caller, jobId, now), now);
  }

  @Override
  public JobView view(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    JobWithRun read = read(caller, jobId, now);
    JobSnapshot job = read.job();
    Long eta =
        job.status().isTerminal() ? null : EtaEstimator.estimateSecondsRemaining(read.progress());
    return new JobView(job, read.tasks(), waiting(read, now), eta);
  }

  /**
   * The job, its run's tasks and, while unfinished, its progress samples and its queue's active
   * workers, in one statement; a job the caller may not see is NOT_FOUND before anything is used.
   */
  private JobWithRun read(Caller caller, JobId jobId, Instant now) {
    AccessPolicy.requireRead(caller);
    JobWithRun read =
        views.read(jobId, EtaEstimator.WINDOW, now.minus(QueueWait.ACTIVE_WINDOW)).orElse(null);
    AccessPolicy.visible(caller, read == null ? null : read.job());
    return read;
  }

  private Optional<QueueWait> waiting(JobWithRun read, Instant now) {
    JobSnapshot job = read.job();
    if (job.status() == JobStatus.SUSPENDED) {
      return Optional.of(QueueWait.suspended(read.activeWorkers()));
    }
    if (!(job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
        || job.desiredState() != DesiredState.RUNNING) {
      return Optional.empty();
    }
    Instant earliest =
        read.tasks().stream()
            .filter(t -> t.status() == TaskStatus.QUEUED)
            .map(TaskState::availableAt)
            .min(Comparator.naturalOrder())
            .orElse(null);
    if (earliest == null) {
      return Optional.empty(); // nothing of this run waits in the queue
    }
    // the one read a GET adds: the queue position depends on other jobs' tasks; bounded, past
    // the cap the position is reported as a lower bound
    long ahead = tasks.tasksAhead(job.id(), job.runId(), now, QueueWait.POSITION_CAP);
    return Optional.of(
        QueueWait.decide(job.definition().queue(), ahead, read.activeWorkers(), earliest, now));
  }

  private interface Report<T> {
    T apply(JobRun run, Instant now);
  }

  private <T> T report(LeaseRef lease, Report<T> change) {
    requireWorker(lease.caller());
    return tx.inTransaction(
        () -> {
          JobSnapshot locked =
              AccessPolicy.visible(
                  lease.caller(), tasks.lockJob(lease.jobId(), false).orElse(null));
          JobRun run = Runs.of(tasks, locked);
          T result = change.apply(run, Clocks.now(clock));
          Runs.save(jobs, tasks, run);
          return result;
        });
  }

  static void requireWorker(Caller caller) {
    if (caller.run() != null) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "a run credential reports telemetry for its own Kubernetes job; it cannot lease tasks");
    }
    if (!caller.has(Role.WORKER)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not use the worker protocol (role worker needed)");
    }
  }
}
