package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one reconcile saw, read once by {@link JobObserver} and never changed afterwards: the
 * resource, what the store knows it as, the run in question, that run's batch Job and its pods.
 * {@link JobDecisions} decides from it alone.
 *
 * @param resource the resource as the informer holds it (its status is the previous status)
 * @param identity the store's id and definition of the job, or why the store refuses the spec
 * @param run the current run; null when nothing is looked at (rejected or refused)
 * @param batch the run's batch Job, whoever controls it; empty when there is none
 * @param pods the run's pods: the informer's, or the API server's when an outcome must be read
 * @param now when the reconcile looked
 */
record JobObservation(
    JobResource resource,
    Identity identity,
    RunPlan run,
    Optional<Job> batch,
    List<Pod> pods,
    Instant now) {

  JobObservation {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(batch, "batch");
    Objects.requireNonNull(now, "now");
    pods = List.copyOf(pods);
  }

  /** A resource that was rejected before: nothing more is read for it. */
  static JobObservation rejectedBefore(JobResource resource, Instant now) {
    return new JobObservation(
        resource, Identity.refused("rejected before"), null, Optional.empty(), List.of(), now);
  }

  /** A spec the store's rules refuse: nothing more is read for it. */
  static JobObservation refused(JobResource resource, String why, Instant now) {
    return new JobObservation(
        resource, Identity.refused(why), null, Optional.empty(), List.of(), now);
  }

  JobStatus previous() {
    return resource.getStatus();
  }

  boolean wasRejected() {
    return previous() != null && previous().getPhase() == JobPhase.REJECTED;
  }

  /**
   * The store's view of the resource's job.
   *
   * @param id the store id; null when the spec is refused
   * @param definition what the store keeps of the spec; null when refused
   * @param refusal why the store refuses the spec; null when it does not
   */
  record Identity(JobId id, JobDefinition definition, String refusal) {

    static Identity of(JobId id, JobDefinition definition) {
      return new Identity(
          Objects.requireNonNull(id, "id"), Objects.requireNonNull(definition, "definition"), null);
    }

    static Identity refused(String why) {
      return new Identity(null, null, Objects.requireNonNull(why, "why"));
    }

    boolean isRefused() {
      return refusal != null;
    }
  }
}
