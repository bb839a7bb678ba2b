package io.jobplane.domain.graph;

import io.jobplane.domain.JobStatus;
import java.util.Collection;

/**
 * What a graph as a whole is doing, from the statuses of its nodes' jobs. Like an Argo workflow, a
 * graph keeps running while any node can still change, even after one failed: branches that do not
 * depend on the failure run on.
 */
public enum GraphStatus {
  /** Some node's job has not ended yet (pending, waiting for its dependencies, queued, running). */
  RUNNING,
  /** Every node's job ended SUCCEEDED. */
  SUCCEEDED,
  /**
   * Every node ended, some were STOPPED (their dependents SKIPPED) and none failed: someone stopped
   * the graph's work.
   */
  STOPPED,
  /**
   * Every node ended and some did not succeed: FAILED, PARTIALLY_FAILED, TIMED_OUT, REJECTED, or
   * SKIPPED without a stop to explain it; a node whose job was deleted counts as failed.
   */
  FAILED;

  /** The aggregate of the nodes' statuses; a null status is a node whose job was deleted. */
  public static GraphStatus of(Collection<JobStatus> nodes) {
    boolean stopped = false;
    boolean failed = false;
    boolean skipped = false;
    for (JobStatus s : nodes) {
      if (s != null && !s.isTerminal()) {
        return RUNNING;
      }
      if (s == JobStatus.STOPPED) {
        stopped = true;
      } else if (s == JobStatus.SKIPPED) {
        // decided by what made it skip: a failure or a stop upstream
        skipped = true;
      } else if (s != JobStatus.SUCCEEDED) {
        failed = true;
      }
    }
    if (failed) {
      return FAILED;
    }
    if (stopped) {
      return STOPPED;
    }
    // skipped with nothing upstream failed or stopped (restarted since): it still did not run
    return skipped ? FAILED : SUCCEEDED;
  }
}
