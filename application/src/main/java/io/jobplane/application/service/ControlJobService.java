package io.jobplane.application.service;

import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.out.CheckpointCatalog;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Load, transition, save. Saving is optimistic, so of two racing requests on one job exactly one
 * wins and the other gets a CONFLICT without anything being overwritten.
 */
public final class ControlJobService implements ControlJobUseCase {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobLocks locks;
  private final WorkerPresence presence;
  private final CheckpointCatalog checkpoints;
  private final TransactionRunner tx;
  private final Clock clock;
  private final WorkloadOutbox workloads;

  /** {@code workloads}: where a Kubernetes job's launch, stop and delete intents go. */
  public ControlJobService(
      JobRepository jobs,
      TaskRepository tasks,
      JobLocks locks,
      WorkerPresence presence,
      CheckpointCatalog checkpoints,
      TransactionRunner tx,
      Clock clock,
      WorkloadOutbox workloads) {
    this.jobs = jobs;
    this.checkpoints = checkpoints;
    this.tasks = tasks;
    this.locks = locks;
    this.presence = presence;
    this.tx = tx;
    this.clock = clock;
    this.workloads = workloads;
  }

  private static boolean onKubernetes(JobSnapshot job) {
    return job.definition().runtime() == JobRuntime.KUBERNETES;
  }

  /** Stops the job and its tasks: queued ones at once, running ones get a deadline (or force). */
  @Override
  public JobSnapshot stop(StopJobCommand c) {
    AccessPolicy.requireRead(c.caller());
    JobSnapshot stopped = requestStop(c);
    if (!onKubernetes(stopped)) {
      return stopped;
    }
    // the relay tells the cluster; a resource found gone confirms the stop at once
    workloads.requireAccepted(stopped.id());
    return jobs.findById(stopped.id()).orElse(stopped);
  }

  private JobSnapshot requestStop(StopJobCommand c) {
    return tx.inTransaction(
        () -> {
          JobSnapshot current = locked(c.caller(), c.jobId());
          AccessPolicy.requireWrite(c.caller());
          if (onKubernetes(current)) {
            // the operator ends the run (deletes its batch Job) and confirms the stop
            Job job = Job.restore(current);
            job.requestStop(c.mode(), c.timeoutSeconds(), Clocks.now(clock), c.caller().source());
            JobSnapshot stored = jobs.update(job);
            workloads.stop(stored);
            return stored;
          }
          JobRun run = Runs.of(tasks, current);
          run.requestStop(c.mode(), c.timeoutSeconds(), Clocks.now(clock), c.caller().source());
          return Runs.save(jobs, tasks, run);
        });
  }

  /** A new run with its own queued tasks; their epochs continue after the earlier runs'. */
  @Override
  public JobSnapshot restart(RestartJobCommand c) {
    // a broadcast's new run goes to the workers live now, one task each
    List<List<String>> targets = new ArrayList<>(1);
    return change(
        c.caller(),
        c.jobId(),
        (job, now) -> {
          if (c.checkpointId() != null) {
            requireCompletedCheckpoint(c.jobId(), c.checkpointId());
          }
          Integer parallelism = c.parallelism();
          JobDefinition d = job.snapshot().definition();
          if (d.isBroadcast()) {
            if (parallelism != null) {
              throw DomainException.invalid(
                  "parallelism", "a broadcast job runs one task per live matching worker");
            }
            targets.add(Broadcasts.targets(presence, d, now));
            parallelism = targets.get(0).size();
          }
          job.restart(c.checkpointId(), parallelism, now, c.caller().source());
        },
        true,
        workloads::restart,
        targets);
  }

  /** A restart may only resume from a checkpoint the job's workers reported as completed. */
  private void requireCompletedCheckpoint(JobId id, String checkpointId) {
    boolean usable =
        checkpoints.checkpoint(id, checkpointId).map(cp -> cp.completed()).orElse(false);
    if (!usable) {
      throw DomainException.invalid(
          "checkpoint_id", "job " + id + " has no completed checkpoint '" + checkpointId + "'");
    }
  }

  @Override
  public JobSnapshot suspend(Caller caller, JobId id) {
    return change(
        caller,
        id,
        (job, now) -> {
          refuseSuspension(job.snapshot());
          job.suspend(now, caller.source());
        },
        false,
        job -> {});
  }

  @Override
  public JobSnapshot resume(Caller caller, JobId id) {
    // jobs stored before tasks existed get the tasks of their run now
    return change(
        caller,
        id,
        (job, now) -> {
          refuseSuspension(job.snapshot());
          job.resume(now, caller.source());
        },
        true,
        job -> {});
  }

  @Override
  public void delete(Caller caller, JobId id) {
    AccessPolicy.requireRead(caller);
    tx.inTransaction(
        () -> {
          JobSnapshot current = AccessPolicy.visible(caller, jobs.findById(id).orElse(null));
          AccessPolicy.requireWrite(caller);
          Job.restore(current).ensureDeletable();
          jobs.delete(id, current.version());
          if (onKubernetes(current)) {
            workloads.delete(current);
          }
          return null;
        });
    // the resource is deleted after the commit (and retried until the cluster lets it); waiting
    // here means a caller that asks the cluster next usually finds it gone
    workloads.requireAccepted(id);
  }

  /** Suspension is spec.suspend of a Kubernetes job's resource, which the cluster owns. */
  private static void refuseSuspension(JobSnapshot job) {
    if (job.status() == JobStatus.PENDING && !onKubernetes(job)) {
      // a worker job is PENDING only while it waits for the jobs it depends on
      throw new DomainException(
          DomainException.Reason.ILLEGAL_TRANSITION,
          "job "
              + job.id()
              + " waits for the jobs it depends on; it cannot be suspended (stop it instead)");
    }
    if (!onKubernetes(job)) {
      return;
    }
    throw new DomainException(
        DomainException.Reason.ILLEGAL_TRANSITION,
        "job "
            + job.id()
            + " runs on Kubernetes: suspend or resume it by setting spec.suspend on resource "
            + job.definition().kubernetes().namespace()
            + "/"
            + job.definition().kubernetes().resourceName());
  }

  /**
   * Applies {@code transition} under the row lock; a worker job gets the tasks of a new run when
   * {@code ensureTasks}, a Kubernetes job is handed to {@code onKubernetes} inside the transaction
   * (so the cluster's refusal undoes the change).
   */
  private JobSnapshot change(
      Caller caller,
      JobId id,
      BiConsumer<Job, Instant> transition,
      boolean ensureTasks,
      Consumer<JobSnapshot> onKubernetes) {
    return change(caller, id, transition, ensureTasks, onKubernetes, List.of());
  }

  /** {@code boundTo}: after the transition, the workers a broadcast's new tasks are bound to. */
  private JobSnapshot change(
      Caller caller,
      JobId id,
      BiConsumer<Job, Instant> transition,
      boolean ensureTasks,
      Consumer<JobSnapshot> onKubernetes,
      List<List<String>> boundTo) {
    AccessPolicy.requireRead(caller);
    JobSnapshot changed = changeStored(caller, id, transition, ensureTasks, onKubernetes, boundTo);
    if (onKubernetes(changed)) {
      // a restart the cluster refuses rejects the job; its caller hears why
      workloads.requireAccepted(id);
    }
    return changed;
  }

  private JobSnapshot changeStored(
      Caller caller,
      JobId id,
      BiConsumer<Job, Instant> transition,
      boolean ensureTasks,
      Consumer<JobSnapshot> onKubernetes,
      List<List<String>> boundTo) {
    return tx.inTransaction(
        () -> {
          JobSnapshot current = locked(caller, id);
          AccessPolicy.requireWrite(caller);
          Job job = Job.restore(current);
          Instant now = Clocks.now(clock);
          transition.accept(job, now);
          JobSnapshot stored = jobs.update(job);
          if (onKubernetes(stored)) {
            onKubernetes.accept(stored); // an intent, carried out after the commit
            return stored;
          }
          if (ensureTasks && tasks.forRun(id, stored.runId()).isEmpty()) {
            long lastEpoch = tasks.lastEpoch(id);
            tasks.insert(
                boundTo.isEmpty()
                    ? JobRun.newTasks(stored, lastEpoch, now)
                    : JobRun.newBoundTasks(stored, lastEpoch, now, boundTo.get(0)));
          }
          return stored;
        });
  }

  /** The job, its row locked against concurrent task reports until the transaction ends. */
  private JobSnapshot locked(Caller caller, JobId id) {
    return AccessPolicy.visible(caller, locks.lockJob(id, false).orElse(null));
  }
}
