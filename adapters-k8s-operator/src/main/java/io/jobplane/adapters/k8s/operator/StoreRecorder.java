package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.application.port.in.ClusterAdmission;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the store what the cluster shows of a run ({@link ClusterJobsUseCase#observe}); the store's
 * answer is what the status then shows. A run that ended brings its outcome along: the failure read
 * from the pods, one error entry per failed container and a tail of each pod's log, read while the
 * pods still exist.
 */
class StoreRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(StoreRecorder.class);

  /** The last lines of the pods' logs, or none when they cannot be read. */
  @FunctionalInterface
  interface PodLogs {
    List<LogLine> tail(List<Pod> pods, Instant now);
  }

  private final ClusterJobsUseCase jobs;
  private final PodLogs logs;
  private final KubernetesEvents events;

  StoreRecorder(ClusterJobsUseCase jobs, PodLogs logs, KubernetesEvents events) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.logs = Objects.requireNonNull(logs, "logs");
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * Records {@code cluster} (the status the cluster's side alone gives: phase, attempt, progress,
   * message) for the observed run.
   *
   * @param outcome the run's failure as its pods tell it; null: classify the observed pods
   * @param error the failure already known (a deleted batch Job); null when the pods tell it
   * @param batchExists whether the run's batch Job (and so its pods) still exists
   */
  JobSnapshot record(
      JobObservation o,
      JobStatus cluster,
      RunOutcome outcome,
      JobError error,
      boolean batchExists) {
    JobPhase phase = cluster.getPhase();
    List<LogLine> tail = List.of();
    List<JobErrorEntry> errors = List.of();
    boolean ended = StatusMapping.isTerminal(phase);
    boolean failing = phase == JobPhase.FAILED || phase == JobPhase.TIMED_OUT;
    boolean retried =
        phase == JobPhase.RUNNING && cluster.getAttempt() != null && cluster.getAttempt() > 1;
    if (error == null && (failing || retried)) {
      RunOutcome read = outcome != null ? outcome : PodFailures.classify(o.pods());
      error =
          phase == JobPhase.TIMED_OUT
              ? new JobError("TIMEOUT", cluster.getMessage())
              : RunRecords.error(read, cluster.getMessage(), "BATCH_JOB_FAILED");
      errors = ended ? RunRecords.errors(read, o.now()) : List.of();
    }
    if (ended && batchExists) {
      // read while the pods exist; the store keeps them only with the run's first terminal state
      tail = logs.tail(o.pods(), o.now());
    }
    Integer progress =
        cluster.getProgress() == null ? null : (int) Math.round(cluster.getProgress());
    ClusterObservation observation =
        new ClusterObservation(
            o.run().runId(),
            ResourceDefinitions.toDomain(phase),
            cluster.getAttempt() == null ? 1 : cluster.getAttempt(),
            progress,
            error,
            tail,
            errors,
            BatchJobs.checkpoint(o.resource(), o.run().runId()));
    JobId id = o.identity().id();
    try {
      return jobs.observe(id, observation);
    } catch (DomainException e) {
      // the store refuses a transition the cluster shows: record why, keep the store's state
      LOG.warn("job {}: store refused {}: {}", id, phase, e.getMessage());
      events.warning(
          o.resource(),
          "StoreRefused",
          "the store did not accept " + phase + ": " + e.getMessage());
      return register(o);
    }
  }

  /** May the observed run start now, under its project's running limits? */
  ClusterAdmission admit(JobObservation o) {
    return jobs.admit(o.identity().id(), o.run().runId());
  }

  /** The pod policy refused the run's template: the store job is rejected with the reason. */
  JobSnapshot reject(JobObservation o, JobDecision.RejectTemplate rejection) {
    register(o); // rare: read it to be sure it is there
    return jobs.observe(
        o.identity().id(),
        new ClusterObservation(
            rejection.run().runId(),
            io.jobplane.domain.JobStatus.REJECTED,
            1,
            null,
            new JobError("POLICY_VIOLATION", rejection.message()),
            List.of(),
            List.of(),
            null));
  }

  private JobSnapshot register(JobObservation o) {
    return JobObserver.register(jobs, o.identity().id(), o.identity().definition(), o.resource());
  }
}
