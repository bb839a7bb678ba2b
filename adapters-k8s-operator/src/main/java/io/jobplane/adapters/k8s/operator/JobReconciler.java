package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.telemetry.JobErrorEntry;
import io.jobplane.domain.telemetry.LogLine;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code Job} resource as batch/v1 Jobs, one per run ({@link BatchJobs}), and keeps the
 * store and the resource's status in agreement: what the cluster shows becomes lifecycle
 * transitions in the store ({@link ClusterJobsUseCase}), and the status then shows the store's
 * state. Idempotent and non-blocking: every call looks at the current state, creates or deletes at
 * most one batch Job and returns; batch Job and pod changes come back as events through informers.
 * Writes the status subresource only, never the spec. A finalizer lets deletion be recorded in the
 * store.
 */
@ControllerConfiguration(name = JobReconciler.NAME)
public class JobReconciler implements Reconciler<JobResource>, Cleaner<JobResource> {

  public static final String NAME = "jobplane-job";

  /** Component name on the Kubernetes Events the operator records. */
  public static final String COMPONENT = "jobplane-operator";

  /** Key of the run credential in its Secret. */
  public static final String TOKEN_KEY = "token";

  private static final Logger LOG = LoggerFactory.getLogger(JobReconciler.class);

  private final ClusterJobsUseCase jobs;
  private final OperatorSettings settings;

  public JobReconciler(ClusterJobsUseCase jobs, OperatorSettings settings) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public List<EventSource<?, JobResource>> prepareEventSources(
      EventSourceContext<JobResource> context) {
    InformerEventSourceConfiguration<Job> batch =
        InformerEventSourceConfiguration.from(Job.class, JobResource.class)
            .withName("batch-jobs")
            .withLabelSelector(BatchJobs.JOB_LABEL)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(JobResource.class, false))
            .build();
    InformerEventSourceConfiguration<Pod> pods =
        InformerEventSourceConfiguration.from(Pod.class, JobResource.class)
            .withName("pods")
            .withLabelSelector(BatchJobs.JOB_LABEL)
            .withSecondaryToPrimaryMapper(
                pod ->
                    Optional.ofNullable(pod.getMetadata().getAnnotations())
                        .map(a -> a.get(BatchJobs.RESOURCE_ANNOTATION))
                        .map(name -> Set.of(new ResourceID(name, pod.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return List.of(
        new InformerEventSource<>(batch, context), new InformerEventSource<>(pods, context));
  }

  @Override
  public UpdateControl<JobResource> reconcile(JobResource resource, Context<JobResource> context) {
    JobStatus previous = resource.getStatus();
    if (previous != null && previous.getPhase() == JobPhase.REJECTED) {
      return UpdateControl.noUpdate(); // nothing is ever created for a rejected resource
    }
    Instant now = settings.clock().instant();
    KubernetesEvents events = new KubernetesEvents(context.getClient(), COMPONENT);
    JobId id;
    JobDefinition definition;
    try {
      id = ResourceDefinitions.jobId(resource);
      definition = ResourceDefinitions.definition(resource);
    } catch (DomainException | IllegalArgumentException e) {
      return rejectUnstored(resource, previous, e.getMessage(), events, now);
    }
    if (previous == null || previous.getJobId() == null) {
      // first sight (or a status patch that was lost): afterwards the status carries the id, and
      // a store job gone meanwhile is registered again where observe finds it missing
      register(id, definition, resource);
    }

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
    boolean sameRun = previous != null && Integer.valueOf(runId).equals(previous.getRunId());
    boolean finished = sameRun && StatusMapping.isTerminal(previous.getPhase());

    String namespace = resource.getMetadata().getNamespace();
    String name = BatchJobs.name(resource.getMetadata().getName(), runId);
    KubernetesClient client = context.getClient();
    Job batch = find(context, namespace, name);

    if (batch != null && !BatchJobs.isOwnedBy(batch, resource)) {
      return nameConflict(resource, previous, runId, observedNonce, name, id, events, now);
    }

    JobError drift = null;
    boolean desiredStopped = resource.getSpec().getDesiredState() == DesiredState.STOPPED;
    if (desiredStopped) {
      if (batch != null && !finished) {
        deleteBatch(client, namespace, name);
        events.normal(
            resource, "Stopping", "deleted batch/v1 Job " + name + " to stop run " + runId);
      }
    } else if (batch == null && !finished) {
      if (sameRun && name.equals(previous.getBatchJob())) {
        drift =
            new JobError(
                "BATCH_JOB_DELETED",
                "batch/v1 Job " + name + " was deleted before run " + runId + " finished");
        events.warning(resource, "BatchJobDeleted", drift.message());
      } else {
        PodTemplateSpec template =
            PodPolicyCheck.harden(resource.getSpec().getPodTemplate(), settings.policy());
        List<String> violations =
            PodPolicyCheck.violations(namespace, definition.project(), template, settings.policy());
        if (!violations.isEmpty()) {
          return rejectStored(resource, previous, id, runId, violations, events, now);
        }
        batch =
            create(
                client,
                BatchJobs.build(
                    resource, runId, template, podEnv(resource, id, runId, name, client)));
        if (!BatchJobs.isOwnedBy(batch, resource)) {
          return reconcile(resource, context); // lost a race against a foreign Job: look again
        }
        events.normal(resource, "Created", "created batch/v1 Job " + name + " for run " + runId);
      }
    }

    JobStatus status = StatusMapping.map(resource, runId, batch, previous, now);
    status.setObservedRestartNonce(observedNonce);
    status.setJobId(id.toString());
    if (batch != null) {
      status.setBatchJob(name);
    }
    // the informer's cache, and the API server only when an outcome must be read from the pods
    // (a run that ended or retried) and the cache has none yet
    boolean outcomeNeeded =
        StatusMapping.isTerminal(status.getPhase())
            || (status.getAttempt() != null && status.getAttempt() > 1);
    List<Pod> pods =
        finished ? List.of() : pods(context, namespace, resource, runId, outcomeNeeded);
    Optional<RunOutcome> stuck =
        StatusMapping.isTerminal(status.getPhase()) || batch == null
            ? Optional.empty()
            : PodFailures.stuck(pods, now, settings.stuckGrace());
    if (stuck.isPresent()) {
      deleteBatch(client, namespace, name); // its pods would wait forever
      status.setPhase(JobPhase.FAILED);
      status.setMessage(stuck.get().message());
    }
    if (drift != null) {
      status.setPhase(JobPhase.FAILED);
      status.setMessage(drift.message());
    }

    JobSnapshot stored = observe(id, resource, status, batch, pods, stuck, drift, client, now);
    if (stored.runId() == runId) {
      status.setPhase(ResourceDefinitions.toPhase(stored.status()));
      if (stored.status().isTerminal() && stored.error() != null) {
        status.setMessage(stored.error().message());
      }
    }
    StatusMapping.setPhaseConditions(status, resource.getMetadata().getGeneration(), text(now));
    if (StatusMapping.isTerminal(status.getPhase())) {
      releaseForCleanup(client, batch, resource);
    }
    clearNameConflict(status, resource, now);
    announce(resource, previous, status, events);
    UpdateControl<JobResource> control = patchIfChanged(resource, status);
    if (!StatusMapping.isTerminal(status.getPhase()) && anyWaiting(pods)) {
      // a pod stuck on an image pull changes nothing the informers see: look again
      control.rescheduleAfter(settings.stuckGrace().toMillis() / 2 + 1, TimeUnit.MILLISECONDS);
    }
    return control;
  }

  /** The resource is going away: the store records it, its batch Jobs go with it. */
  @Override
  public DeleteControl cleanup(JobResource resource, Context<JobResource> context) {
    String namespace = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    try {
      jobs.forget(
          ResourceDefinitions.jobId(resource), "resource " + namespace + "/" + name + " deleted");
    } catch (IllegalArgumentException | DomainException e) {
      LOG.debug("resource {}/{} had no store job: {}", namespace, name, e.getMessage());
    }
    // one by one: the operator's role has no deletecollection
    for (Job batch :
        context
            .getClient()
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(BatchJobs.JOB_LABEL, BatchJobs.labelValue(name))
            .list()
            .getItems()) {
      if (BatchJobs.isOwnedBy(batch, resource)) {
        deleteBatch(context.getClient(), namespace, batch.getMetadata().getName());
      }
    }
    new KubernetesEvents(context.getClient(), COMPONENT)
        .normal(resource, "Deleted", "resource deleted; its batch Jobs are being removed");
    return DeleteControl.defaultDelete();
  }

  /** Tells the store what the cluster shows; the store's answer is what the status shows. */
  private JobSnapshot observe(
      JobId id,
      JobResource resource,
      JobStatus status,
      Job batch,
      List<Pod> pods,
      Optional<RunOutcome> stuck,
      JobError drift,
      KubernetesClient client,
      Instant now) {
    JobPhase phase = status.getPhase();
    int runId = status.getRunId();
    JobError error = drift;
    List<LogLine> logs = List.of();
    List<JobErrorEntry> errors = List.of();
    boolean ended = StatusMapping.isTerminal(phase);
    boolean failing = phase == JobPhase.FAILED || phase == JobPhase.TIMED_OUT;
    boolean retried =
        phase == JobPhase.RUNNING && status.getAttempt() != null && status.getAttempt() > 1;
    if (error == null && (failing || retried)) {
      RunOutcome outcome = stuck.orElseGet(() -> PodFailures.classify(pods));
      error =
          phase == JobPhase.TIMED_OUT
              ? new JobError("TIMEOUT", status.getMessage())
              : RunRecords.error(outcome, status.getMessage(), "BATCH_JOB_FAILED");
      errors = ended ? RunRecords.errors(outcome, now) : List.of();
    }
    if (ended && batch != null) {
      // read while the pods exist; the store keeps them only with the run's first terminal state
      logs = RunRecords.logTail(client, pods, settings.logTailLines(), now);
    }
    Integer progress = status.getProgress() == null ? null : (int) Math.round(status.getProgress());
    ClusterObservation observation =
        new ClusterObservation(
            runId,
            ResourceDefinitions.toDomain(phase),
            status.getAttempt() == null ? 1 : status.getAttempt(),
            progress,
            error,
            logs,
            errors,
            BatchJobs.checkpoint(resource, runId));
    try {
      return jobs.observe(id, observation);
    } catch (DomainException e) {
      // the store refuses a transition the cluster shows: record why, keep the store's state
      LOG.warn("job {}: store refused {}: {}", id, phase, e.getMessage());
      new KubernetesEvents(client, COMPONENT)
          .warning(
              resource,
              "StoreRefused",
              "the store did not accept " + phase + ": " + e.getMessage());
      return register(id, ResourceDefinitions.definition(resource), resource);
    }
  }

  private JobSnapshot register(JobId id, JobDefinition definition, JobResource resource) {
    return jobs.register(id, definition, "kubernetes:" + resource.getMetadata().getNamespace());
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

  private static boolean anyWaiting(List<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getContainerStatuses() != null)
        .flatMap(p -> p.getStatus().getContainerStatuses().stream())
        .anyMatch(c -> c.getState() != null && c.getState().getWaiting() != null);
  }

  /**
   * What the pods get so they can report: the API URL, their job and run, and a credential for this
   * run only (in a Secret the resource owns; the token never appears in the batch Job).
   */
  private List<EnvVar> podEnv(
      JobResource resource, JobId id, int runId, String batchName, KubernetesClient client) {
    if (settings.apiUrl() == null) {
      return List.of();
    }
    String secretName = batchName + "-credential";
    String token = jobs.issueRunCredential(id, runId);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(resource.getMetadata().getNamespace())
            .withLabels(
                Map.of(BatchJobs.JOB_LABEL, BatchJobs.labelValue(resource.getMetadata().getName())))
            .withOwnerReferences(BatchJobs.ownerReference(resource))
            .endMetadata()
            .withType("Opaque")
            .withData(
                Map.of(
                    TOKEN_KEY,
                    Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8))))
            .build();
    try {
      client.secrets().resource(secret).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
      // made by an earlier attempt at this reconcile; its token is on record too
    }
    return List.of(
        new EnvVar("JOBPLANE_API_URL", settings.apiUrl(), null),
        new EnvVar("JOBPLANE_JOB_ID", id.toString(), null),
        new EnvVar("JOBPLANE_RUN_ID", Integer.toString(runId), null),
        new EnvVarBuilder()
            .withName("JOBPLANE_TOKEN")
            .withNewValueFrom()
            .withNewSecretKeyRef()
            .withName(secretName)
            .withKey(TOKEN_KEY)
            .endSecretKeyRef()
            .endValueFrom()
            .build());
  }

  /**
   * The run's outcome is in the store: now the batch Job may get the TTL the resource asks for, and
   * Kubernetes may clean up its pods.
   */
  private static void releaseForCleanup(KubernetesClient client, Job batch, JobResource resource) {
    Integer ttl = resource.getSpec().getTtlSecondsAfterFinished();
    if (batch == null
        || ttl == null
        || batch.getSpec() == null
        || ttl.equals(batch.getSpec().getTtlSecondsAfterFinished())) {
      return;
    }
    try {
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(batch.getMetadata().getNamespace())
          .withName(batch.getMetadata().getName())
          .edit(
              j -> {
                j.getSpec().setTtlSecondsAfterFinished(ttl);
                return j;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  /** One Event per phase change, so {@code kubectl describe} shows the history. */
  private static void announce(
      JobResource resource, JobStatus previous, JobStatus status, KubernetesEvents events) {
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
            + status.getPhase().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
            + (status.getMessage() == null ? "" : ": " + status.getMessage());
    switch (status.getPhase()) {
      case FAILED, TIMED_OUT, PARTIALLY_FAILED, REJECTED ->
          events.warning(resource, reason, message);
      default -> events.normal(resource, reason, message);
    }
  }

  /** A spec the store's rules refuse: rejected with the reason, no store job, nothing created. */
  private UpdateControl<JobResource> rejectUnstored(
      JobResource resource,
      JobStatus previous,
      String message,
      KubernetesEvents events,
      Instant now) {
    JobStatus status = StatusMapping.copyOf(previous);
    status.setPhase(JobPhase.REJECTED);
    status.setMessage(message);
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    StatusMapping.setPhaseConditions(status, resource.getMetadata().getGeneration(), text(now));
    events.warning(resource, "Rejected", message);
    return patchIfChanged(resource, status);
  }

  /** A pod template the policy forbids: the store job is rejected, nothing is created. */
  private UpdateControl<JobResource> rejectStored(
      JobResource resource,
      JobStatus previous,
      JobId id,
      int runId,
      List<String> violations,
      KubernetesEvents events,
      Instant now) {
    String message =
        "pod template refused by the "
            + settings.policy().level().name().toLowerCase(java.util.Locale.ROOT)
            + " policy: "
            + String.join("; ", violations);
    JobError error = new JobError("POLICY_VIOLATION", message);
    register(id, ResourceDefinitions.definition(resource), resource); // rare: read it to be sure
    JobSnapshot stored =
        jobs.observe(
            id,
            new ClusterObservation(
                runId,
                io.jobplane.domain.JobStatus.REJECTED,
                1,
                null,
                error,
                List.of(),
                List.of(),
                null));
    JobStatus status = StatusMapping.copyOf(previous);
    status.setRunId(runId);
    status.setJobId(id.toString());
    status.setPhase(ResourceDefinitions.toPhase(stored.status()));
    status.setMessage(stored.error() == null ? message : stored.error().message());
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    StatusMapping.setPhaseConditions(status, resource.getMetadata().getGeneration(), text(now));
    events.warning(resource, "Rejected", status.getMessage());
    return patchIfChanged(resource, status);
  }

  private UpdateControl<JobResource> nameConflict(
      JobResource resource,
      JobStatus previous,
      int runId,
      String observedNonce,
      String name,
      JobId id,
      KubernetesEvents events,
      Instant now) {
    // phase unchanged: map nothing from the foreign Job, keep what the status says
    JobStatus status = StatusMapping.copyOf(previous);
    status.setRunId(runId);
    status.setJobId(id.toString());
    status.setObservedRestartNonce(observedNonce);
    status.setObservedGeneration(resource.getMetadata().getGeneration());
    String message =
        "batch/v1 Job " + name + " exists and is not controlled by this resource; it is left alone";
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
        message,
        resource.getMetadata().getGeneration(),
        text(now));
    if (!known) {
      events.warning(resource, "NameConflict", message);
    }
    return patchIfChanged(resource, status);
  }

  private static void clearNameConflict(JobStatus status, JobResource resource, Instant now) {
    if (status.getConditions().stream()
        .anyMatch(c -> JobCondition.NAME_CONFLICT.equals(c.getType()))) {
      StatusMapping.setCondition(
          status,
          JobCondition.NAME_CONFLICT,
          JobCondition.Status.False,
          "NameAvailable",
          null,
          resource.getMetadata().getGeneration(),
          text(now));
    }
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

  private static void deleteBatch(KubernetesClient client, String namespace, String name) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
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

  private static UpdateControl<JobResource> patchIfChanged(JobResource resource, JobStatus status) {
    return StatusPatches.ifChanged(resource, status, JobResource::new);
  }

  private static String text(Instant now) {
    return now.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
