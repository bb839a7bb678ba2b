package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.domain.JobId;

/**
 * The apply step of the reconciler: the writes to the cluster that a {@link JobDecision} asks for,
 * each idempotent (deterministic names, create-only, 404 and 409 taken as done). {@link
 * KubernetesRunApplier} is the real one; tests may record the calls instead.
 */
interface RunApplier {

  /**
   * Creates run {@code run}'s credential Secret (when the pods report to an API) and its batch Job
   * from {@code template}; suspended and marked held ({@link BatchJobs#held}) when {@code heldBy}
   * is not null.
   *
   * @return the batch Job now under the run's name: the one created, one an earlier attempt
   *     created, or a foreign one that holds the name (then nothing was created)
   */
  Job createRun(
      JobResource resource, JobId id, RunPlan run, PodTemplateSpec template, String heldBy);

  /**
   * Lifts the suspension of a held batch Job (and its held mark), in one patch.
   *
   * @return the batch Job as patched
   */
  Job resumeRun(JobResource resource, Job batch);

  /** Deletes run {@code run}'s batch Job (its pods go with it); gone already is fine. */
  void deleteRun(JobResource resource, RunPlan run, String why);

  /**
   * The run's outcome is in the store: the batch Job gets the TTL the resource asks for, so
   * Kubernetes may clean up its pods. Nothing when it has it already.
   */
  void releaseForCleanup(JobResource resource, Job batch);
}
