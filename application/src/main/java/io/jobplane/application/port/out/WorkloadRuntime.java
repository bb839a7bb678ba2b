package io.jobplane.application.port.out;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;

/**
 * Where Kubernetes jobs submitted over the API are handed to the cluster: as {@code
 * jobs.jobplane.io} resources the operator runs. {@link #admit} is a check without a call and runs
 * in the store transaction; the cluster calls are made after the commit by the outbox's relay
 * ({@code WorkloadRelay}), and may be repeated, so each is idempotent. A {@code DomainException} is
 * the cluster's (or the platform's) final refusal; any other exception is worth a later try.
 */
public interface WorkloadRuntime {

  /** Refuses, before anything is stored, a job the platform's policy would never let run. */
  void admit(JobSnapshot job);

  /** Creates the job's resource; a resource already there for this job is left as it is. */
  void launch(JobSnapshot job);

  /** Sets the resource's desired state to stopped. */
  void stop(JobSnapshot job);

  /** Asks for the job's current run (a new restart nonce, and the checkpoint to start from). */
  void restart(JobSnapshot job);

  /** Deletes a job's resource by its name; a missing one is fine. */
  void delete(String namespace, String resourceName);

  /** The runtime of a server without Kubernetes: every Kubernetes job is refused. */
  WorkloadRuntime NONE =
      new WorkloadRuntime() {
        @Override
        public void admit(JobSnapshot job) {
          throw disabled();
        }

        @Override
        public void launch(JobSnapshot job) {
          throw disabled();
        }

        @Override
        public void stop(JobSnapshot job) {
          throw disabled();
        }

        @Override
        public void restart(JobSnapshot job) {
          throw disabled();
        }

        @Override
        public void delete(String namespace, String resourceName) {
          throw disabled();
        }

        private DomainException disabled() {
          return notEnabled();
        }
      };

  /** The refusal of every Kubernetes job by a server without Kubernetes. */
  static DomainException notEnabled() {
    return DomainException.invalid(
        "runtime",
        "runtime kubernetes is not enabled on this server; start it with"
            + " --kubernetes-runtime or --with-operator");
  }
}
