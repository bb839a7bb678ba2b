package io.jobplane.adapters.k8s.operator;

/**
 * Why a run's pod failed, so that infrastructure failures and application failures can have
 * different retry policies.
 */
public enum FailureKind {
  /** Not a failure: still running, or finished with exit code 0. */
  NONE,
  /** The job's own code failed: a container exited non-zero (including OOMKilled). */
  APPLICATION,
  /**
   * The cluster failed the pod: eviction, preemption, node loss or shutdown, an image that cannot
   * be pulled, a container that cannot be created or started.
   */
  INFRASTRUCTURE
}
