package io.jobplane.app.worker;

import io.jobplane.client.model.Checkpoint;
import io.jobplane.client.model.LeasedJob;
import java.util.UUID;

/**
 * One leased task: the SDK's lease as {@code POST /api/v1/leases} handed it out, with what the
 * worker reads of it named once. Never changed after the claim: the worker only reads it.
 *
 * @param wire the claim answer's lease; its {@code lease_token} is the proof of holding the lease,
 *     sent with every report next to the epoch; null from a server that hands out none (before
 *     issue 12), and then not sent, since such a server refuses fields it does not know
 */
record Lease(io.jobplane.client.model.Lease wire) {

  UUID jobUuid() {
    return wire.getJobId();
  }

  String jobId() {
    return String.valueOf(wire.getJobId());
  }

  int taskIndex() {
    return wire.getTaskIndex() == null ? 0 : wire.getTaskIndex();
  }

  long epoch() {
    return wire.getEpoch() == null ? 0 : wire.getEpoch();
  }

  String leaseToken() {
    return wire.getLeaseToken();
  }

  long runId() {
    return wire.getRunId() == null ? 0 : wire.getRunId();
  }

  int attempt() {
    return wire.getAttempt() == null ? 1 : wire.getAttempt();
  }

  int parallelism() {
    return wire.getParallelism() == null ? 1 : wire.getParallelism();
  }

  /** The job as the lease shows it; empty (no command) when the server sent none. */
  LeasedJob job() {
    return wire.getJob() == null ? new LeasedJob() : wire.getJob();
  }

  /** The checkpoint a restart named, or null. */
  Checkpoint checkpoint() {
    return wire.getCheckpoint();
  }

  /** Key of the running-task map: a task is never run twice at once by one worker. */
  String key() {
    return jobId() + "/" + taskIndex();
  }

  /**
   * Never the lease token (the SDK model's own toString prints it): it is the proof of holding the
   * lease, and logs are read by many.
   */
  @Override
  public String toString() {
    return "task " + key() + " (epoch " + epoch() + ", attempt " + attempt() + ")";
  }
}
