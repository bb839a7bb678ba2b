package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;

/**
 * Fencing for worker reports: telemetry is accepted only from the current holder of a task's lease.
 * Implemented by the store that keeps the leases.
 */
public interface LeaseVerifier {

  /** The run the lease belongs to, when {@code epoch} is the task's current, live lease. */
  record VerifiedLease(JobId jobId, int taskIndex, int runId, long epoch) {}

  /**
   * Returns the verified lease, or throws a CONFLICT {@link io.jobplane.domain.DomainException}
   * whose message says the lease is stale (wrong epoch, expired, revoked or finished) and a
   * NOT_FOUND one when the job or task does not exist.
   */
  VerifiedLease requireCurrent(JobId jobId, int taskIndex, long epoch);

  /**
   * Fencing for the pods of a Kubernetes job, which hold a run credential instead of a lease:
   * returns the lease-equivalent when run {@code runId} is the job's current run and has not ended,
   * otherwise throws CONFLICT (stale run) or NOT_FOUND like {@link #requireCurrent}.
   */
  VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId);
}
