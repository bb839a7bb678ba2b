package io.jobplane.adapters.k8s.operator;

import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import java.util.Objects;

/**
 * Which run of a {@code Job} resource this reconcile is about. Pure: from the resource alone.
 *
 * @param runId the current run: 1 at first, the next one once a changed {@code spec.restartNonce}
 *     meets a finished run (the finished run's batch Job is left alone)
 * @param observedNonce the restart nonce the run was started for (the nonce a resource is created
 *     with starts no second run)
 * @param sameRun the status already describes this run
 * @param finished the status already holds this run's outcome: it does not change any more
 * @param batchName the name of the run's batch Job
 */
record RunPlan(
    int runId, String observedNonce, boolean sameRun, boolean finished, String batchName) {

  static RunPlan of(JobResource resource) {
    JobStatus previous = resource.getStatus();
    String nonce = resource.getSpec().getRestartNonce();
    int runId = 1;
    String observedNonce = nonce;
    if (previous != null && previous.getRunId() != null) {
      runId = previous.getRunId();
      observedNonce = previous.getObservedRestartNonce();
      if (!Objects.equals(nonce, observedNonce) && StatusMapping.isTerminal(previous.getPhase())) {
        runId++;
        observedNonce = nonce;
      }
    }
    boolean sameRun = previous != null && Integer.valueOf(runId).equals(previous.getRunId());
    boolean finished = sameRun && StatusMapping.isTerminal(previous.getPhase());
    return new RunPlan(
        runId,
        observedNonce,
        sameRun,
        finished,
        BatchJobs.name(resource.getMetadata().getName(), runId));
  }

  /** The status names this run's batch Job: it was created, so its absence is news. */
  boolean batchRecorded(JobStatus previous) {
    return sameRun && previous != null && batchName.equals(previous.getBatchJob());
  }
}
