package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TaskState;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The job row locks that serialize everything that moves a job through its tasks. Every method
 * joins the caller's transaction ({@link TransactionRunner}); locks are held until it ends.
 *
 * <p>Lock order, so nothing deadlocks: whoever changes tasks of a job locks the job row first
 * ({@link #lockJob} waiting; several jobs with {@link #lockJobs}, which takes them in id order, so
 * two batches that share jobs cannot wait on each other in a cycle), except claims ({@link
 * TaskClaims}), which lock task rows first and then the job rows without waiting ({@code
 * skipLocked}), skipping jobs someone else is busy with.
 */
public interface JobLocks {

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
   * {@link #lockJobs} and {@link TaskRepository#forRuns} of the locked jobs together, in id order,
   * the tasks read after the locks are held. A store should do both in one round trip: every claim
   * and every report starts with this.
   */
  List<LockedRun> lockRuns(Collection<JobId> ids, boolean skipLocked);
}
