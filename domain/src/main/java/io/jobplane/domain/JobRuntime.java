package io.jobplane.domain;

/**
 * Where a job's work runs: leased by external workers, or run by the Kubernetes operator as
 * batch/v1 Jobs of a {@code jobs.jobplane.io} resource.
 */
public enum JobRuntime {
  WORKER,
  KUBERNETES;
}
