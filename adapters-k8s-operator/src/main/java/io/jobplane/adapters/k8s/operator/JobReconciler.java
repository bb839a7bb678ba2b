package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.jobplane.adapters.k8s.crd.JobPhase;
import io.jobplane.adapters.k8s.crd.JobResource;
import io.jobplane.adapters.k8s.crd.JobStatus;
import io.jobplane.application.port.in.ClusterAdmission;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code Job} resource as batch/v1 Jobs, one per run ({@link BatchJobs}), and keeps the
 * store and the resource's status in agreement. Each reconcile goes through the same phases, each
 * an injected collaborator:
 *
 * <ol>
 *   <li><b>observe</b> ({@link JobObserver}): the resource, the store's id for it, the current run,
 *       its batch Job and pods, into an immutable {@link JobObservation};
 *   <li><b>decide</b> ({@link JobDecisions}): a pure function to one {@link JobDecision};
 *   <li><b>apply</b> ({@link RunApplier}): the one cluster write the decision asks for, if any;
 *   <li><b>record</b>: the store is told what the cluster shows ({@link StoreRecorder}), and its
 *       answer becomes the status, built once and patched once, only when it changed ({@link
 *       StatusRecorder}).
 * </ol>
 *
 * Idempotent and non-blocking: batch Job and pod changes come back as events through informers.
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

  /** How often a run held by its project's {@code max_running} asks the store again. */
  static final Duration HELD_RECHECK = Duration.ofSeconds(5);

  /** The collaborators that talk to the cluster, for one client. */
  record Phases(
      JobObserver observer,
      RunApplier applier,
      StoreRecorder store,
      StatusRecorder status,
      KubernetesEvents events) {

    /** The real ones: the fabric8 client, the store port, the operator's settings. */
    static Phases of(KubernetesClient client, ClusterJobsUseCase jobs, OperatorSettings settings) {
      KubernetesEvents events =
          new KubernetesEvents(client, COMPONENT, settings.clock())
              .withRoutine(settings.routineEvents());
      return new Phases(
          new JobObserver(jobs, settings.clock()),
          new KubernetesRunApplier(client, jobs, settings.apiUrl(), events),
          new StoreRecorder(
              jobs,
              (pods, now) -> RunRecords.logTail(client, pods, settings.logTailLines(), now),
              events),
          new StatusRecorder(events, settings.stuckGrace()),
          events);
    }
  }

  private final ClusterJobsUseCase jobs;
  private final JobDecisions decisions;
  private final Function<KubernetesClient, Phases> phasesFor;
  private final RecentStatuses recent;
  private volatile Phases phases;
  private volatile KubernetesClient phasesClient;

  public JobReconciler(ClusterJobsUseCase jobs, OperatorSettings settings) {
    this(jobs, settings, client -> Phases.of(client, jobs, settings));
  }

  /**
   * @param phasesFor the observe, apply and record collaborators for the client JOSDK hands to a
   *     reconcile (one per operator; tests may pass their own)
   */
  JobReconciler(
      ClusterJobsUseCase jobs,
      OperatorSettings settings,
      Function<KubernetesClient, Phases> phasesFor) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.decisions = JobDecisions.of(Objects.requireNonNull(settings, "settings"));
    this.phasesFor = Objects.requireNonNull(phasesFor, "phasesFor");
    this.recent = new RecentStatuses(settings.clock());
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
    UpdateControl<JobResource> control =
        reconcilePhases(recent.current(resource, context.getRetryInfo().isPresent()), context);
    if (control.isPatchStatus()) {
      recent.remember(resource, control.getResource().orElseThrow().getStatus());
    }
    return control;
  }

  private UpdateControl<JobResource> reconcilePhases(
      JobResource resource, Context<JobResource> context) {
    Phases p = phases(context.getClient());
    JobObservation observed = p.observer().observe(resource, context);
    JobDecision decision = decisions.decide(observed);
    if (decision instanceof JobDecision.Nothing) {
      return UpdateControl.noUpdate();
    }
    if (decision instanceof JobDecision.RejectSpec rejection) {
      return p.status().rejectedSpec(observed, rejection);
    }
    if (decision instanceof JobDecision.RejectTemplate rejection) {
      return p.status()
          .rejectedTemplate(observed, rejection, p.store().reject(observed, rejection));
    }
    if (decision instanceof JobDecision.NameTaken taken) {
      return p.status().nameTaken(observed, taken);
    }
    return runRecorded(observed, decision, p);
  }

  /** Apply the decision's write, then tell the store and the status what the run shows. */
  private UpdateControl<JobResource> runRecorded(JobObservation o, JobDecision decision, Phases p) {
    JobResource resource = o.resource();
    RunPlan run = o.run();
    Job batch = o.batch().orElse(null);
    RunOutcome outcome = null;
    JobError error = null;
    String failure = null;
    ClusterAdmission admission = ClusterAdmission.ADMITTED;
    if (decision instanceof JobDecision.CreateRun create) {
      admission = p.store().admit(o);
      batch =
          p.applier()
              .createRun(resource, o.identity().id(), run, create.template(), admission.message());
      if (!BatchJobs.isOwnedBy(batch, resource)) {
        // lost a race for the name against a foreign Job: nothing was created
        return p.status().nameTaken(o, new JobDecision.NameTaken(run));
      }
    } else if (decision instanceof JobDecision.ResumeRun) {
      admission = p.store().admit(o);
      if (admission.admitted()) {
        batch = p.applier().resumeRun(resource, batch);
      }
    } else if (decision instanceof JobDecision.StopRun) {
      p.applier()
          .deleteRun(
              resource,
              run,
              "deleted batch/v1 Job " + run.batchName() + " to stop run " + run.runId());
    } else if (decision instanceof JobDecision.FailStuckRun stuck) {
      p.applier().deleteRun(resource, run, null); // its pods would wait forever
      outcome = stuck.outcome();
      failure = outcome.message();
    } else if (decision instanceof JobDecision.FailDeletedRun deleted) {
      error = deleted.error();
      failure = error.message();
      p.events().warning(resource, "BatchJobDeleted", failure);
    }
    JobStatus cluster = StatusMapping.map(resource, run.runId(), batch, o.previous(), o.now());
    if (failure != null) {
      // failed for a reason the batch Job does not show
      cluster.setPhase(JobPhase.FAILED);
      cluster.setMessage(failure);
    }
    if (!admission.admitted()) {
      cluster.setMessage(admission.message());
    }
    JobSnapshot stored = p.store().record(o, cluster, outcome, error, batch != null);
    boolean terminal =
        stored.runId() == run.runId()
            ? stored.status().isTerminal()
            : StatusMapping.isTerminal(cluster.getPhase());
    if (terminal && batch != null) {
      p.applier().releaseForCleanup(resource, batch);
    }
    UpdateControl<JobResource> control = p.status().run(o, cluster, batch, stored);
    // nothing signals room in the project: a held run asks again after a while
    return admission.admitted() ? control : control.rescheduleAfter(HELD_RECHECK);
  }

  /** The resource is going away: the store records it, its batch Jobs go with it. */
  @Override
  public DeleteControl cleanup(JobResource resource, Context<JobResource> context) {
    recent.forget(resource);
    String namespace = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    try {
      jobs.forget(
          ResourceDefinitions.jobId(resource), "resource " + namespace + "/" + name + " deleted");
    } catch (IllegalArgumentException | DomainException e) {
      LOG.debug("resource {}/{} had no store job: {}", namespace, name, e.getMessage());
    }
    // one by one: the operator's role has no deletecollection
    KubernetesClient client = context.getClient();
    for (Job batch :
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(BatchJobs.JOB_LABEL, BatchJobs.labelValue(name))
            .list()
            .getItems()) {
      if (BatchJobs.isOwnedBy(batch, resource)) {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withName(batch.getMetadata().getName())
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
      }
    }
    phases(client)
        .events()
        .normal(resource, "Deleted", "resource deleted; its batch Jobs are being removed");
    return DeleteControl.defaultDelete();
  }

  private Phases phases(KubernetesClient client) {
    Phases current = phases;
    if (current == null || phasesClient != client) {
      current = phasesFor.apply(client);
      phases = current;
      phasesClient = client;
    }
    return current;
  }
}
