package io.jobplane.application.testing;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link LeaseVerifier} whose leases tests grant and revoke: a report is current when its epoch
 * is the granted one and the lease was not revoked.
 */
public final class InMemoryLeaseVerifier implements LeaseVerifier {

  private record Key(JobId jobId, int taskIndex) {}

  private record Lease(int runId, long epoch, boolean live) {}

  private final Map<Key, Lease> leases = new HashMap<>();
  private final Map<JobId, Integer> liveRuns = new HashMap<>();

  /** Run {@code runId} of a Kubernetes job is running (its pods may report). */
  public synchronized InMemoryLeaseVerifier runLive(JobId jobId, int runId) {
    liveRuns.put(jobId, runId);
    return this;
  }

  /** The job's run is over. */
  public synchronized void runEnded(JobId jobId) {
    liveRuns.remove(jobId);
  }

  @Override
  public synchronized VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId) {
    Integer live = liveRuns.get(jobId);
    if (live == null || live != runId) {
      throw DomainException.conflict("stale run credential: run " + runId + " of job " + jobId);
    }
    return new VerifiedLease(jobId, taskIndex, runId, 0);
  }

  /** Grants (or re-grants) the task's lease in run 1 with this epoch. */
  public InMemoryLeaseVerifier grant(JobId jobId, int taskIndex, long epoch) {
    return grant(jobId, taskIndex, 1, epoch);
  }

  public synchronized InMemoryLeaseVerifier grant(
      JobId jobId, int taskIndex, int runId, long epoch) {
    leases.put(new Key(jobId, taskIndex), new Lease(runId, epoch, true));
    return this;
  }

  /** The task is no longer RUNNING (expired, stopped, finished). */
  public synchronized void revoke(JobId jobId, int taskIndex) {
    leases.computeIfPresent(
        new Key(jobId, taskIndex), (k, l) -> new Lease(l.runId(), l.epoch(), false));
  }

  @Override
  public synchronized VerifiedLease requireCurrent(JobId jobId, int taskIndex, long epoch) {
    Lease lease = leases.get(new Key(jobId, taskIndex));
    if (lease == null) {
      throw DomainException.notFound("task " + taskIndex + " of job " + jobId + " not found");
    }
    if (!lease.live() || lease.epoch() != epoch) {
      throw DomainException.conflict(
          "stale lease: task "
              + taskIndex
              + " of job "
              + jobId
              + " is not leased with epoch "
              + epoch);
    }
    return new VerifiedLease(jobId, taskIndex, lease.runId(), epoch);
  }
}
