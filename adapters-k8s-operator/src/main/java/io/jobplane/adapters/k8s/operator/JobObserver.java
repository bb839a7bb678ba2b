package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The observe step of the reconciler: reads what one reconcile needs, once, into a {@link
 * JobObservation}. The informers' caches first; the API server only where a cache cannot be trusted
 * to know yet (a batch Job the status says was created, the pods of a run whose outcome must be
 * read). On first sight of a resource it registers the store's job, which is idempotent: afterwards
 * the status carries the job id.
 *
 * <p>The store's state of the run is not read here: it is the store's answer to what the cluster
 * shows ({@link ClusterJobsUseCase#observe}), one transaction instead of a read and a write.
 */
class JobObserver {

  private static final Set<JobPhase> FAILING =
      EnumSet.of(JobPhase.FAILED, JobPhase.TIMED_OUT, JobPhase.PARTIALLY_FAILED);

  private final ClusterJobsUseCase jobs;
  private final Clock clock;

  JobObserver(ClusterJobsUseCase jobs, Clock clock) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  JobObservation observe(JobResource resource, Context<JobResource> context) {
    Instant now = clock.instant();
    JobStatus previous = resource.getStatus();
    if (previous != null && previous.getPhase() == JobPhase.REJECTED) {
      return JobObservation.rejectedBefore(resource, now);
    }
    JobId id;
    JobDefinition definition;
    try {
      id = ResourceDefinitions.jobId(resource);
      definition = ResourceDefinitions.definition(resource);
    } catch (DomainException | IllegalArgumentException e) {
      return JobObservation.refused(resource, e.getMessage(), now);
    }
    if (previous == null || previous.getJobId() == null) {
      // first sight (or a status patch that was lost): afterwards the status carries the id, and
      // a store job gone meanwhile is registered again where the store refuses an observation
      register(jobs, id, definition, resource);
    }
    RunPlan run = RunPlan.of(resource);
    String namespace = resource.getMetadata().getNamespace();
    Optional<Job> batch = batch(context, resource, run);
    List<Pod> pods = List.of();
    if (!run.finished()) {
      JobStatus mapped =
          StatusMapping.map(resource, run.runId(), batch.orElse(null), previous, now);
      // a failure is classified from the pods when the run failed or retried: ask the API server
      // when the cache has none yet. A run that succeeded or stopped needs its pods only for the
      // log tail, and the informer has held them since they started
      boolean outcomeNeeded =
          FAILING.contains(mapped.getPhase())
              || (mapped.getAttempt() != null && mapped.getAttempt() > 1);
      pods = pods(context, namespace, resource, run.runId(), outcomeNeeded);
    }
    return new JobObservation(
        resource, JobObservation.Identity.of(id, definition), run, batch, pods, now);
  }

  static io.jobplane.domain.JobSnapshot register(
      ClusterJobsUseCase jobs, JobId id, JobDefinition definition, JobResource resource) {
    return jobs.register(id, definition, "kubernetes:" + resource.getMetadata().getNamespace());
  }

  /**
   * The run's batch Job from the informer's cache of the Jobs this resource controls. The API
   * server is asked only when the cache may lag behind what the status already says: the status
   * names the batch Job (was it deleted, or is the cache late?), or a foreign Job took the name (is
   * it still there?). Otherwise an absent Job is created, and a 409 answers the rest.
   */
  private static Optional<Job> batch(
      Context<JobResource> context, JobResource resource, RunPlan run) {
    Optional<Job> cached =
        context.getSecondaryResources(Job.class).stream()
            .filter(j -> run.batchName().equals(j.getMetadata().getName()))
            .findFirst();
    if (cached.isPresent()) {
      return cached;
    }
    JobStatus previous = resource.getStatus();
    if (run.finished() || !(run.batchRecorded(previous) || nameTaken(previous))) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        context
            .getClient()
            .batch()
            .v1()
            .jobs()
            .inNamespace(resource.getMetadata().getNamespace())
            .withName(run.batchName())
            .get());
  }

  private static boolean nameTaken(JobStatus previous) {
    return previous != null
        && previous.getConditions() != null
        && previous.getConditions().stream()
            .anyMatch(
                c ->
                    JobCondition.NAME_CONFLICT.equals(c.getType())
                        && c.getStatus() == JobCondition.Status.True);
  }

  /** The pods of run {@code runId}: the informer's cache, else (if asked) the API server. */
  private static List<Pod> pods(
      Context<JobResource> context,
      String namespace,
      JobResource resource,
      int runId,
      boolean askServer) {
    String label = BatchJobs.labelValue(resource.getMetadata().getName());
    String run = Integer.toString(runId);
    Set<Pod> cached = context.getSecondaryResources(Pod.class);
    List<Pod> pods =
        cached.stream()
            .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
            .filter(p -> label.equals(labels(p).get(BatchJobs.JOB_LABEL)))
            .filter(p -> run.equals(labels(p).get(BatchJobs.RUN_LABEL)))
            .toList();
    if (!pods.isEmpty() || !askServer) {
      return pods;
    }
    return context
        .getClient()
        .pods()
        .inNamespace(namespace)
        .withLabel(BatchJobs.JOB_LABEL, label)
        .withLabel(BatchJobs.RUN_LABEL, run)
        .list()
        .getItems();
  }

  private static Map<String, String> labels(Pod pod) {
    return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
  }
}
