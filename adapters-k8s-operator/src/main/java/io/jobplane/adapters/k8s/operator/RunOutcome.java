package io.jobplane.adapters.k8s.operator;

import java.util.List;

/**
 * What a run's pods ended with ({@link PodFailures}).
 *
 * @param pods every container that terminated or failed to start, and every pod-level failure, in
 *     pod creation order
 * @param kind APPLICATION when any container failed on its own, else INFRASTRUCTURE when the
 *     cluster failed any pod, else NONE
 * @param reason the Kubernetes reason of the first failure of that kind; null for NONE
 * @param message one line a user understands, e.g. "container main exited with code 3"; null for
 *     NONE
 */
public record RunOutcome(List<PodOutcome> pods, FailureKind kind, String reason, String message) {

  public RunOutcome {
    pods = List.copyOf(pods);
  }
}
