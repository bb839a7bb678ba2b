package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.TaskState;
import java.util.Optional;

/**
 * Fencing for worker telemetry: the store that keeps the leases hands over the task a report is
 * about, locked until the report is stored, and the service judges it (project first, then the
 * lease proof), so every store applies the same rules in the same order.
 */
public interface LeaseVerifier {

  /** The run the lease belongs to, once the report has been found to come from its holder. */
  record VerifiedLease(JobId jobId, int taskIndex, int runId, long epoch) {}

  /** A task of the job's current run, with the project the job belongs to. */
  record LeasedTask(String project, TaskState task) {}

  /**
   * Task {@code taskIndex} of the job's current run, locked (shared) for the rest of the caller's
   * transaction so the lease cannot be revoked before the report it fences is stored; empty when
   * the job or the task does not exist.
   */
  Optional<LeasedTask> lockTask(JobId jobId, int taskIndex);

  /**
   * Fencing for the pods of a Kubernetes job, which hold a run credential instead of a lease:
   * returns the lease-equivalent when run {@code runId} is the job's current run and has not ended,
   * otherwise throws STALE_LEASE (the run is over) or NOT_FOUND (no such job).
   */
  VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId);
}
