package io.jobplane.application.service;

import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loading a job with the tasks of its current run, and storing what a {@link JobRun} changed. */
final class Runs {

  private Runs() {}

  static JobRun of(TaskRepository tasks, JobSnapshot locked) {
    return JobRun.of(Job.restore(locked), tasks.forRun(locked.id(), locked.runId()));
  }

  /**
   * Locks the jobs (in id order; with skipLocked, busy ones are left out) and loads the tasks of
   * their current runs, in one call to the store; by job id, in id order.
   */
  static Map<JobId, JobRun> lockAll(JobLocks locks, Collection<JobId> ids, boolean skipLocked) {
    Map<JobId, JobRun> runs = new LinkedHashMap<>();
    for (JobLocks.LockedRun r : locks.lockRuns(ids, skipLocked)) {
      runs.put(r.job().id(), JobRun.of(Job.restore(r.job()), r.tasks()));
    }
    return runs;
  }

  /** Writes the changed tasks and, if it changed, the job; returns the job as stored. */
  static JobSnapshot save(JobRepository jobs, TaskRepository tasks, JobRun run) {
    tasks.update(run.changedTasks());
    return run.jobChanged() ? jobs.update(run.job()) : run.job().snapshot();
  }

  /**
   * {@link #save} for several runs: the changed tasks of all of them in one batch, the changed jobs
   * in another. Returns every job as stored, by id.
   */
  static Map<JobId, JobSnapshot> saveAll(
      JobRepository jobs, TaskRepository tasks, Collection<JobRun> runs) {
    List<TaskState> changedTasks = new ArrayList<>();
    List<Job> changedJobs = new ArrayList<>();
    Map<JobId, JobSnapshot> stored = new LinkedHashMap<>();
    for (JobRun run : runs) {
      changedTasks.addAll(run.changedTasks());
      if (run.jobChanged()) {
        changedJobs.add(run.job());
      }
      stored.put(run.job().id(), run.job().snapshot());
    }
    tasks.update(changedTasks);
    jobs.updateAll(changedJobs).forEach(s -> stored.put(s.id(), s));
    return stored;
  }
}
