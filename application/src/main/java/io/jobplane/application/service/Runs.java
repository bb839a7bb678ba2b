package io.jobplane.application.service;

import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;

/** Loading a job with the tasks of its current run, and storing what a {@link JobRun} changed. */
final class Runs {

  private Runs() {}

  static JobRun of(TaskRepository tasks, JobSnapshot locked) {
    return JobRun.of(Job.restore(locked), tasks.forRun(locked.id(), locked.runId()));
  }

  /** Writes the changed tasks and, if it changed, the job; returns the job as stored. */
  static JobSnapshot save(JobRepository jobs, TaskRepository tasks, JobRun run) {
    tasks.update(run.changedTasks());
    return run.jobChanged() ? jobs.update(run.job()) : run.job().snapshot();
  }
}
