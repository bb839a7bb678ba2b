package io.jobplane.application.service;

import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import java.time.Clock;
import java.util.Objects;

/**
 * What the builders of the services that put jobs through their tasks ({@link SubmitJobService},
 * {@link WorkerProtocolService}) name alike: the job and task stores, the workers' presence, the
 * transactions and the clock (all required), the dependencies and the project limits (none unless
 * given).
 *
 * @param <B> the builder itself, so that each setter returns it
 */
public abstract class CollaboratorsBuilder<B extends CollaboratorsBuilder<B>> {

  JobRepository jobs;
  TaskRepository tasks;
  WorkerPresence presence;
  TransactionRunner tx;
  Clock clock;
  JobDependencyStore dependencies = JobDependencyStore.NONE;
  ProjectLimitsStore limits = ProjectLimitsStore.NONE;

  CollaboratorsBuilder() {}

  abstract B self();

  public B jobs(JobRepository jobs) {
    this.jobs = jobs;
    return self();
  }

  public B tasks(TaskRepository tasks) {
    this.tasks = tasks;
    return self();
  }

  /** Who is live: the workers a broadcast goes to, and whether a placed job has any. */
  public B presence(WorkerPresence presence) {
    this.presence = presence;
    return self();
  }

  public B tx(TransactionRunner tx) {
    this.tx = tx;
    return self();
  }

  public B clock(Clock clock) {
    this.clock = clock;
    return self();
  }

  /** The edges of jobs submitted with depends_on: what a waiting job still waits for. */
  public B dependencies(JobDependencyStore dependencies) {
    this.dependencies = dependencies;
    return self();
  }

  /** The projects' limits: {@code max_queued} for submits, {@code max_running} for waiting jobs. */
  public B limits(ProjectLimitsStore limits) {
    this.limits = limits;
    return self();
  }

  /** Throws NullPointerException naming the first collaborator named here that is missing. */
  void requireNamed() {
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(presence, "presence");
    Objects.requireNonNull(tx, "tx");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(dependencies, "dependencies");
    Objects.requireNonNull(limits, "limits");
  }
}
