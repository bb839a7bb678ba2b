package io.jobplane.adapters.k8s.crd;

/**
 * The job's lifecycle state as shown in {@code status.phase}: the same names as {@code
 * io.jobplane.domain.JobStatus} and the REST API ({@code JobPhaseTest} keeps them in step). A copy
 * rather than the domain enum so that the CRD schema is owned here.
 */
public enum JobPhase {
  PENDING,
  SUSPENDED,
  QUEUED,
  RUNNING,
  STOPPING,
  SUCCEEDED,
  FAILED,
  STOPPED,
  TIMED_OUT,
  PARTIALLY_FAILED,
  REJECTED,
  /** Not reached by a resource today (depends_on is for worker jobs); kept for the same names. */
  SKIPPED
}
