package io.jobplane.application.service;

import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.RestartJobCommand;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Load, transition, save. Saving is optimistic, so of two racing requests on one job exactly one
 * wins and the other gets a CONFLICT without anything being overwritten.
 */
public final class ControlJobService implements ControlJobUseCase {

  private final JobRepository jobs;
  private final TransactionRunner tx;
  private final Clock clock;

  public ControlJobService(JobRepository jobs, TransactionRunner tx, Clock clock) {
    this.jobs = jobs;
    this.tx = tx;
    this.clock = clock;
  }

  @Override
  public JobSnapshot stop(StopJobCommand c) {
    return change(
        c.caller(),
        c.jobId(),
        (job, now) -> job.requestStop(c.mode(), c.timeoutSeconds(), now, c.caller().source()));
  }

  @Override
  public JobSnapshot restart(RestartJobCommand c) {
    return change(
        c.caller(),
        c.jobId(),
        (job, now) -> job.restart(c.checkpointId(), c.parallelism(), now, c.caller().source()));
  }

  @Override
  public JobSnapshot suspend(Caller caller, JobId id) {
    return change(caller, id, (job, now) -> job.suspend(now, caller.source()));
  }

  @Override
  public JobSnapshot resume(Caller caller, JobId id) {
    return change(caller, id, (job, now) -> job.resume(now, caller.source()));
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
          return null;
        });
  }

  private JobSnapshot change(Caller caller, JobId id, BiConsumer<Job, Instant> transition) {
    AccessPolicy.requireRead(caller);
    return tx.inTransaction(
        () -> {
          JobSnapshot current = AccessPolicy.visible(caller, jobs.findById(id).orElse(null));
          AccessPolicy.requireWrite(caller);
          Job job = Job.restore(current);
          transition.accept(job, Clocks.now(clock));
          return jobs.update(job);
        });
  }
}
