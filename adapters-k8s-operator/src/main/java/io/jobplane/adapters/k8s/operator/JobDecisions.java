package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.domain.JobError;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The decision step of the reconciler: a pure function from what was observed to what to do. No
 * client, no store, no clock (the observation carries {@code now}); table-tested in {@code
 * JobDecisionsTest}.
 */
final class JobDecisions {

  private final PodPolicy policy;
  private final Duration stuckGrace;

  JobDecisions(PodPolicy policy, Duration stuckGrace) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.stuckGrace = Objects.requireNonNull(stuckGrace, "stuckGrace");
  }

  static JobDecisions of(OperatorSettings settings) {
    return new JobDecisions(settings.policy(), settings.stuckGrace());
  }

  JobDecision decide(JobObservation o) {
    if (o.wasRejected()) {
      return new JobDecision.Nothing();
    }
    if (o.identity().isRefused()) {
      return new JobDecision.RejectSpec(o.identity().refusal());
    }
    JobResource resource = o.resource();
    RunPlan run = o.run();
    Job batch = o.batch().orElse(null);
    if (batch != null && !BatchJobs.isOwnedBy(batch, resource)) {
      return new JobDecision.NameTaken(run);
    }
    if (resource.getSpec().getDesiredState() == DesiredState.STOPPED) {
      return batch != null && !run.finished()
          ? new JobDecision.StopRun(run)
          : new JobDecision.RecordRun(run);
    }
    if (batch == null && !run.finished()) {
      if (run.batchRecorded(o.previous())) {
        return new JobDecision.FailDeletedRun(
            run,
            new JobError(
                "BATCH_JOB_DELETED",
                "batch/v1 Job "
                    + run.batchName()
                    + " was deleted before run "
                    + run.runId()
                    + " finished"));
      }
      PodTemplateSpec template = PodPolicyCheck.harden(resource.getSpec().getPodTemplate(), policy);
      List<String> violations =
          PodPolicyCheck.violations(
              resource.getMetadata().getNamespace(),
              o.identity().definition().project(),
              template,
              policy);
      if (!violations.isEmpty()) {
        return new JobDecision.RejectTemplate(
            run,
            "pod template refused by the "
                + policy.level().name().toLowerCase(Locale.ROOT)
                + " policy: "
                + String.join("; ", violations));
      }
      return new JobDecision.CreateRun(run, template);
    }
    if (batch != null && !run.finished() && BatchJobs.isHeld(batch)) {
      return new JobDecision.ResumeRun(run);
    }
    if (batch != null) {
      JobStatus mapped = StatusMapping.map(resource, run.runId(), batch, o.previous(), o.now());
      if (!StatusMapping.isTerminal(mapped.getPhase())) {
        Optional<RunOutcome> stuck = PodFailures.stuck(o.pods(), o.now(), stuckGrace);
        if (stuck.isPresent()) {
          return new JobDecision.FailStuckRun(run, stuck.get());
        }
      }
    }
    return new JobDecision.RecordRun(run);
  }
}
