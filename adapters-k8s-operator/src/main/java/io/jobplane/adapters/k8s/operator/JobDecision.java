package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.jobplane.domain.JobError;

/**
 * What one reconcile of a {@code Job} resource does, as {@link JobDecisions} decides it from a
 * {@link JobObservation}: at most one write to the cluster, then the store and the status are told
 * the outcome.
 */
sealed interface JobDecision {

  /** A rejected resource: nothing is ever created for it, nothing is written. */
  record Nothing() implements JobDecision {}

  /** The store's rules refuse the spec: rejected with the reason, no store job. */
  record RejectSpec(String message) implements JobDecision {}

  /** The pod policy refuses the template: the store job is rejected, nothing is created. */
  record RejectTemplate(RunPlan run, String message) implements JobDecision {}

  /** A batch Job of the run's name exists and another owner controls it: it is left alone. */
  record NameTaken(RunPlan run) implements JobDecision {

    String message() {
      return "batch/v1 Job "
          + run.batchName()
          + " exists and is not controlled by this resource; it is left alone";
    }
  }

  /** Start the run: its credential Secret and its batch Job from the hardened template. */
  record CreateRun(RunPlan run, PodTemplateSpec template) implements JobDecision {}

  /**
   * The run's batch Job waits suspended for its project's room ({@link BatchJobs#isHeld}): ask the
   * store again, and lift the suspension once it admits the run.
   */
  record ResumeRun(RunPlan run) implements JobDecision {}

  /** {@code spec.desiredState} is STOPPED and the run's batch Job still runs: delete it. */
  record StopRun(RunPlan run) implements JobDecision {}

  /** A pod has waited on an image pull or a config error past the grace: fail the run. */
  record FailStuckRun(RunPlan run, RunOutcome outcome) implements JobDecision {}

  /** The run's batch Job disappeared before the run finished: the run fails. */
  record FailDeletedRun(RunPlan run, JobError error) implements JobDecision {}

  /** Nothing to write in the cluster: tell the store and the status what the run shows. */
  record RecordRun(RunPlan run) implements JobDecision {}
}
