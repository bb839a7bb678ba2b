package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.List;

/**
 * The jobs where time alone decides something, for the sweeper. Both reads lock nothing; the
 * sweeper locks each job ({@link JobLocks}) and decides it then.
 */
public interface TaskSweeps {

  /**
   * Jobs with a RUNNING task whose lease expired or whose stop deadline passed, or active past
   * their timeout.
   */
  List<JobId> jobsToSweep(Instant now, int limit);

  /**
   * QUEUED or RUNNING jobs with a queued task bound to a worker that is gone: not seen claiming at
   * or after {@code since} and holding no lease live at or after it ({@link
   * WorkerPresence#lostWorkers}).
   */
  List<JobId> jobsWithLostWorkers(Instant since, int limit);
}
