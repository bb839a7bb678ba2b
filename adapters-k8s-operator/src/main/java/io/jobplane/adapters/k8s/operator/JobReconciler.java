package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@code Job} resource as batch/v1 Jobs, one per run ({@link BatchJobs}), and reflects the
 * current run's batch Job in the resource's status ({@link StatusMapping}). Idempotent and
 * non-blocking: every call looks at the current state, creates or deletes at most one batch Job and
 * returns; batch Job changes come back as events through an informer on batch Jobs mapped to their
 * controller owner. Writes the status subresource only, never the spec.
 */
@ControllerConfiguration(name = JobReconciler.NAME)
public class JobReconciler implements Reconciler<JobResource> {

  public static final String NAME = "jobplane-job";

  private final Clock clock;

  public JobReconciler() {
    this(Clock.systemUTC());
  }

  public JobReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, JobResource>> prepareEventSources(
      EventSourceContext<JobResource> context) {
    InformerEventSourceConfiguration<Job> config =
        InformerEventSourceConfiguration.from(Job.class, JobResource.class)
            .withName("batch-jobs")
            .withLabelSelector(BatchJobs.JOB_LABEL)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(JobResource.class, false))
            .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  @Override
  public UpdateControl<JobResource> reconcile(JobResource resource, Context<JobResource> context) {
    JobStatus previous = resource.getStatus();
    String nonce = resource.getSpec().getRestartNonce();
    int runId = 1;
    String observedNonce = nonce; // the nonce a resource is created with starts no second run
    if (previous != null && previous.getRunId() != null) {
      runId = previous.getRunId();
      observedNonce = previous.getObservedRestartNonce();
      if (!Objects.equals(nonce, observedNonce) && StatusMapping.isTerminal(previous.getPhase())) {
        runId++; // a restart: the next run; the finished run's batch Job is left alone
        observedNonce = nonce;
      }
    }
    boolean finished =
        previous != null
            && Integer.valueOf(runId).equals(previous.getRunId())
            && StatusMapping.isTerminal(previous.getPhase());

    String namespace = resource.getMetadata().getNamespace();
    String name = BatchJobs.name(resource.getMetadata().getName(), runId);
    KubernetesClient client = context.getClient();
    Job batch = find(context, namespace, name);

    if (batch != null && !BatchJobs.isOwnedBy(batch, resource)) {
      JobStatus status = copyForConflict(resource, previous, runId, observedNonce);
      StatusMapping.setCondition(
          status,
          JobCondition.NAME_CONFLICT,
          JobCondition.Status.True,
          "NameTaken",
          "batch/v1 Job "
              + name
              + " exists and is not controlled by this resource; it is left alone",
          resource.getMetadata().getGeneration(),
          now());
      return patchIfChanged(resource, status);
    }

    if (resource.getSpec().getDesiredState() == DesiredState.STOPPED) {
      if (batch != null && !finished) {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(name)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
      }
    } else if (batch == null && !finished) {
      batch = create(client, BatchJobs.build(resource, runId));
      if (!BatchJobs.isOwnedBy(batch, resource)) {
        return reconcile(resource, context); // lost a race against a foreign Job: look again
      }
    }

    JobStatus status = StatusMapping.map(resource, runId, batch, previous, clock.instant());
    status.setObservedRestartNonce(observedNonce);
    if (status.getConditions().stream()
        .anyMatch(c -> JobCondition.NAME_CONFLICT.equals(c.getType()))) {
      StatusMapping.setCondition(
          status,
          JobCondition.NAME_CONFLICT,
          JobCondition.Status.False,
          "NameAvailable",
          null,
          resource.getMetadata().getGeneration(),
          now());
    }
    return patchIfChanged(resource, status);
  }

  /** The batch Job by name: the informer's cache of owned Jobs first, then the API server. */
  private static Job find(Context<JobResource> context, String namespace, String name) {
    return context.getSecondaryResources(Job.class).stream()
        .filter(j -> name.equals(j.getMetadata().getName()))
        .findFirst()
        .orElseGet(
            () ->
                context
                    .getClient()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(name)
                    .get());
  }

  /** Create-only; on 409 AlreadyExists the existing Job (ours or not) is the answer. */
  private static Job create(KubernetesClient client, Job job) {
    try {
      return client.batch().v1().jobs().resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      Job existing =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(job.getMetadata().getNamespace())
              .withName(job.getMetadata().getName())
              .get();
      if (existing == null) {
        throw e; // deleted in between; the retry looks again
      }
      return existing;
    }
  }

  private static JobStatus copyForConflict(
      JobResource resource, JobStatus previous, int runId, String observedNonce) {
    // phase unchanged: map nothing from the foreign Job, keep what the status says
    JobStatus status = StatusMapping.copyOf(previous);
    status.setRunId(runId);
    status.setObservedRestartNonce(observedNonce);
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    return status;
  }

  private static UpdateControl<JobResource> patchIfChanged(JobResource resource, JobStatus status) {
    if (resource.getStatus() != null
        && Serialization.asJson(resource.getStatus()).equals(Serialization.asJson(status))) {
      return UpdateControl.noUpdate();
    }
    JobResource patch = new JobResource();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return UpdateControl.patchStatus(patch);
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
