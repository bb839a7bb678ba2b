package io.jobplane.application.port.out;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;

/**
 * Where Kubernetes jobs submitted over the API are handed to the cluster: as {@code
 * jobs.jobplane.io} resources the operator runs. Calls happen inside the store transaction, so a
 * refusal by the cluster rolls the store change back.
 */
public interface WorkloadRuntime {

  /** Creates the job's resource; a resource already there for this job is left as it is. */
  void launch(JobSnapshot job);

  /** Sets the resource's desired state to stopped. */
  void stop(JobSnapshot job);

  /** Asks for the job's current run (a new restart nonce, and the checkpoint to start from). */
  void restart(JobSnapshot job);

  /** Deletes the job's resource; a missing one is fine. */
  void delete(JobSnapshot job);

  /** The runtime of a server without Kubernetes: every Kubernetes job is refused. */
  WorkloadRuntime NONE =
      new WorkloadRuntime() {
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
        public void delete(JobSnapshot job) {
          throw disabled();
        }

        private DomainException disabled() {
          return DomainException.invalid(
              "runtime",
              "runtime kubernetes is not enabled on this server; start it with"
                  + " --kubernetes-runtime or --with-operator");
        }
      };
}
