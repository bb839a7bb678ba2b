package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.TaskState;
import java.util.List;
import java.util.Map;

/**
 * Durable home of the tasks of job runs. Every method joins the caller's transaction ({@link
 * TransactionRunner}); whoever changes tasks of a job holds its lock ({@link JobLocks}). The other
 * concerns of the task table have their own ports: the claim ({@link TaskClaims}), worker presence
 * ({@link WorkerPresence}), queue positions ({@link QueuePositions}), the sweeper's reads ({@link
 * TaskSweeps}) and the fences of reports ({@link LeaseVerifier}).
 */
public interface TaskRepository {

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
}
