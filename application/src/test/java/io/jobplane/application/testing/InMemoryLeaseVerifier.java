package io.jobplane.application.testing;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.TaskState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link LeaseVerifier} whose leases tests grant and revoke: a granted task is RUNNING under the
 * granted epoch, held by whoever presents {@link #TOKEN}; a revoked one is STOPPED.
 */
public final class InMemoryLeaseVerifier implements LeaseVerifier {

  /** The lease token of every lease this verifier grants. */
  public static final String TOKEN = "jpl_lease_granted-by-the-test";

  private record Key(JobId jobId, int taskIndex) {}

  private record Lease(String project, int runId, long epoch, boolean live) {}

  private final Map<Key, Lease> leases = new HashMap<>();
  private final Map<JobId, Integer> liveRuns = new HashMap<>();
  private final Clock clock;

  public InMemoryLeaseVerifier(Clock clock) {
    this.clock = clock;
  }

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
      throw DomainException.staleLease("stale run credential: run " + runId + " of job " + jobId);
    }
    return new VerifiedLease(jobId, taskIndex, runId, 0);
  }

  /** Grants (or re-grants) the task's lease in run 1 with this epoch, for a job of project. */
  public synchronized InMemoryLeaseVerifier grant(
      JobId jobId, int taskIndex, String project, long epoch) {
    leases.put(new Key(jobId, taskIndex), new Lease(project, 1, epoch, true));
    return this;
  }

  /** The task is no longer RUNNING (expired, stopped, finished). */
  public synchronized void revoke(JobId jobId, int taskIndex) {
    leases.computeIfPresent(
        new Key(jobId, taskIndex), (k, l) -> new Lease(l.project(), l.runId(), l.epoch(), false));
  }

  @Override
  public synchronized Optional<LeasedTask> lockTask(JobId jobId, int taskIndex) {
    Lease lease = leases.get(new Key(jobId, taskIndex));
    if (lease == null) {
      return Optional.empty();
    }
    var now = clock.instant();
    TaskState running =
        TaskState.queued(jobId, lease.runId(), taskIndex, lease.epoch() - 1, now)
            .lease("granted", "test", TaskState.MAX_LEASE_SECONDS, hash(TOKEN), now);
    return Optional.of(
        new LeasedTask(lease.project(), lease.live() ? running : running.forceStop(now)));
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
