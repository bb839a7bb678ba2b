package io.jobplane.domain;

import java.time.Instant;

/**
 * How the tasks' results move the job: a failed task that is queued again retries the job or only
 * notes the retry, and when every task is over the job ends as they did (see {@link JobRun}).
 *
 * <p>This and the other collaborators of {@link JobRun} are records only to say, without
 * constructor boilerplate, that they hold references to the run's job and tasks, never copies.
 */
record RunSettlement(Job job, RunTaskBook tasks) {

  /**
   * After a task failed or its lease expired: a task queued again retries the whole job when no
   * other task is running or finished (and attempts are left), else the timeline notes it.
   */
  void afterFailure(TaskState before, TaskState after, Instant now) {
    if (after.status() != TaskStatus.QUEUED || job.status() != JobStatus.RUNNING) {
      settle(now, "system");
      return;
    }
    boolean othersBusy =
        tasks.values().stream()
            .anyMatch(
                t ->
                    t.index() != after.index()
                        && (t.status() == TaskStatus.RUNNING || t.status().isTerminal()));
    if (!othersBusy && job.snapshot().attempt() < job.snapshot().definition().maxAttempts()) {
      job.retry(after.error(), now, "system");
      return;
    }
    String message =
        "task "
            + after.index()
            + " attempt "
            + before.attempt()
            + " failed; queued attempt "
            + after.attempt()
            + " after backoff until "
            + after.availableAt();
    job.noteTaskRetried(after.error(), message, now, "system");
  }

  /** Moves the job when all tasks are terminal; otherwise keeps its progress in step. */
  void settle(Instant now, String source) {
    if (!job.status().isActive() || tasks.isEmpty()) {
      return;
    }
    if (tasks.anyOpen()) {
      job.deriveProgress(tasks.meanProgress(), now);
      return;
    }
    if (job.status() == JobStatus.STOPPING) {
      job.confirmStopped(now, source);
      return;
    }
    long succeeded = tasks.count(TaskStatus.SUCCEEDED);
    if (succeeded == tasks.size()) {
      job.succeed(now, source);
      return;
    }
    JobError first =
        tasks.values().stream()
            .filter(t -> t.status() != TaskStatus.SUCCEEDED && t.error() != null)
            .map(TaskState::error)
            .findFirst()
            .orElse(new JobError("TASK_FAILED", "a task did not succeed"));
    job.deriveProgress(tasks.meanProgress(), now);
    if (succeeded == 0) {
      job.fail(first, now, source);
    } else {
      job.partiallyFail(partialFailure(succeeded, first), now, source);
    }
  }

  private JobError partialFailure(long succeeded, JobError first) {
    long total = tasks.size();
    return new JobError(
        "PARTIAL_FAILURE",
        (total - succeeded)
            + " of "
            + total
            + " tasks did not succeed ("
            + succeeded
            + " succeeded, "
            + tasks.count(TaskStatus.FAILED)
            + " failed); first error: "
            + first.reason()
            + ": "
            + first.message());
  }
}
