package io.jobplane.application.port.in;

import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;

/**
 * What the Kubernetes operator tells the store about the resources it runs, so the REST API, the
 * timeline and the resource's status agree. Every call is idempotent: the operator may repeat it
 * after a conflict, a retry or a restart.
 */
public interface ClusterJobsUseCase {

  /**
   * The store's job for a resource: stored and queued on first sight (with {@code id}), the stored
   * one afterwards.
   */
  JobSnapshot register(JobId id, JobDefinition definition, String createdBy);

  /**
   * Brings the stored job to what the cluster shows: a later run restarts it, the run's state
   * drives the lifecycle transitions (each one a timeline event), and a run that ends records its
   * outcome (logs tail, errors) in the same transaction. An observation of an earlier run, or of a
   * run whose outcome is already stored, changes nothing.
   */
  JobSnapshot observe(JobId id, ClusterObservation observation);

  /**
   * May run {@code runId} of the job start now? Kueue's model: a job of a project without a running
   * limit is always admitted and starts when its pods do; otherwise, under the lock claims take for
   * the project, the run is admitted only while the project and the job's queue are under their
   * {@code max_running}, and the job counts as running (RUNNING, its attempt started) from that
   * moment. A run admitted before, or a job no longer queued, is admitted again without a change. A
   * held run changes nothing in the store.
   */
  ClusterAdmission admit(JobId id, int runId);

  /**
   * The resource is being deleted: a job still queued or running is stopped, and the timeline says
   * why. The stored job stays, as history. Unknown ids are ignored.
   */
  void forget(JobId id, String reason);

  /**
   * A new credential for the pods of run {@code runId}: it lets them report for this job and
   * nothing else. Only its hash is stored; the token is returned once.
   */
  String issueRunCredential(JobId id, int runId);
}
