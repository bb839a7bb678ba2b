package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.domain.JobSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The record-status step of the reconciler: builds the resource's status once per reconcile from
 * the observation, the cluster's view of the run and the store's answer, announces a phase change
 * as an Event, and patches the status subresource once, on a minimal object, only when it changed.
 */
class StatusRecorder {

  private final KubernetesEvents events;
  private final Duration stuckGrace;

  StatusRecorder(KubernetesEvents events, Duration stuckGrace) {
    this.events = Objects.requireNonNull(events, "events");
    this.stuckGrace = Objects.requireNonNull(stuckGrace, "stuckGrace");
  }

  /**
   * The status of an observed run.
   *
   * @param cluster the cluster's view of the run ({@link StatusMapping#map}, with a stuck or
   *     deleted run failed): what the store was told
   * @param batch the run's batch Job after the apply step; null when there is none
   * @param stored the store's answer
   */
  UpdateControl<JobResource> run(
      JobObservation o, JobStatus cluster, Job batch, JobSnapshot stored) {
    JobResource resource = o.resource();
    RunPlan run = o.run();
    JobStatus status = StatusMapping.copyOf(cluster);
    status.setObservedRestartNonce(run.observedNonce());
    status.setJobId(o.identity().id().toString());
    if (batch != null) {
      status.setBatchJob(run.batchName());
    }
    if (stored.runId() == run.runId()) {
      status.setPhase(ResourceDefinitions.toPhase(stored.status()));
      if (stored.status().isTerminal() && stored.error() != null) {
        status.setMessage(stored.error().message());
      }
    }
    Long generation = resource.getMetadata().getGeneration();
    StatusMapping.setPhaseConditions(status, generation, text(o.now()));
    if (status.getConditions().stream()
        .anyMatch(c -> JobCondition.NAME_CONFLICT.equals(c.getType()))) {
      StatusMapping.setCondition(
          status,
          JobCondition.NAME_CONFLICT,
          JobCondition.Status.False,
          "NameAvailable",
          null,
          generation,
          text(o.now()));
    }
    announce(resource, o.previous(), status);
    UpdateControl<JobResource> control = patchIfChanged(resource, status);
    if (!StatusMapping.isTerminal(status.getPhase()) && anyWaiting(o.pods())) {
      // a pod stuck on an image pull changes nothing the informers see: look again
      control.rescheduleAfter(stuckGrace.toMillis() / 2 + 1, TimeUnit.MILLISECONDS);
    }
    return control;
  }

  /** A spec the store's rules refuse: rejected with the reason. */
  UpdateControl<JobResource> rejectedSpec(JobObservation o, JobDecision.RejectSpec rejection) {
    JobStatus status = StatusMapping.copyOf(o.previous());
    status.setPhase(JobPhase.REJECTED);
    status.setMessage(rejection.message());
    return rejected(o, status);
  }

  /** A pod template the policy refuses: the status shows the store's rejected job. */
  UpdateControl<JobResource> rejectedTemplate(
      JobObservation o, JobDecision.RejectTemplate rejection, JobSnapshot stored) {
    JobStatus status = StatusMapping.copyOf(o.previous());
    status.setRunId(rejection.run().runId());
    status.setJobId(o.identity().id().toString());
    status.setPhase(ResourceDefinitions.toPhase(stored.status()));
    status.setMessage(stored.error() == null ? rejection.message() : stored.error().message());
    return rejected(o, status);
  }

  private UpdateControl<JobResource> rejected(JobObservation o, JobStatus status) {
    Long generation = o.resource().getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    StatusMapping.setPhaseConditions(status, generation, text(o.now()));
    events.warning(o.resource(), "Rejected", status.getMessage());
    return patchIfChanged(o.resource(), status);
  }

  /** A foreign batch Job holds the run's name: phase unchanged, a NameConflict condition. */
  UpdateControl<JobResource> nameTaken(JobObservation o, JobDecision.NameTaken taken) {
    JobResource resource = o.resource();
    JobStatus status = StatusMapping.copyOf(o.previous());
    status.setRunId(taken.run().runId());
    status.setJobId(o.identity().id().toString());
    status.setObservedRestartNonce(taken.run().observedNonce());
    Long generation = resource.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    boolean known =
        status.getConditions().stream()
            .anyMatch(
                c ->
                    JobCondition.NAME_CONFLICT.equals(c.getType())
                        && c.getStatus() == JobCondition.Status.True);
    StatusMapping.setCondition(
        status,
        JobCondition.NAME_CONFLICT,
        JobCondition.Status.True,
        "NameTaken",
        taken.message(),
        generation,
        text(o.now()));
    if (!known) {
      events.warning(resource, "NameConflict", taken.message());
    }
    return patchIfChanged(resource, status);
  }

  /**
   * One Event per phase change, so {@code kubectl describe} shows the history: failures always, the
   * happy path's phases with routine events on.
   */
  private void announce(JobResource resource, JobStatus previous, JobStatus status) {
    JobPhase before = previous == null ? null : previous.getPhase();
    boolean newRun = previous != null && !Objects.equals(previous.getRunId(), status.getRunId());
    if (before == status.getPhase() && !newRun) {
      return;
    }
    String reason = StatusMapping.camel(status.getPhase());
    String message =
        "run "
            + status.getRunId()
            + " "
            + status.getPhase().name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (status.getMessage() == null ? "" : ": " + status.getMessage());
    switch (status.getPhase()) {
      case FAILED, TIMED_OUT, PARTIALLY_FAILED, REJECTED ->
          events.warning(resource, reason, message);
      default -> events.routine(resource, reason, message);
    }
  }

  private static boolean anyWaiting(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null);
  }

  private static UpdateControl<JobResource> patchIfChanged(JobResource resource, JobStatus status) {
    return StatusPatches.ifChanged(resource, status, JobResource::new);
  }

  static String text(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
