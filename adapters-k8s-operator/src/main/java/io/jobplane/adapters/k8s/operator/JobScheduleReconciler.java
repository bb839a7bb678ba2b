package io.jobplane.adapters.k8s.operator;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.jobplane.adapters.k8s.crd.JobCondition;
import io.jobplane.adapters.k8s.crd.JobScheduleResource;
import io.jobplane.adapters.k8s.crd.JobScheduleStatus;
import io.jobplane.application.port.in.ClusterSchedulesUseCase;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store's schedule equal to a {@code JobSchedule} resource's spec, and the resource's
 * status equal to the store's progress. The operator never ticks: the API server's schedule loop
 * starts the jobs (as {@code Job} resources, which {@link JobReconciler} runs), exactly as for a
 * schedule created over REST.
 *
 * <p>validate (the domain's rules through {@link ScheduleDefinitions}, the pod policy) → apply
 * ({@link ClusterSchedulesUseCase#apply}: stored on first sight, replaced when the spec differs,
 * else read) → record status (patched only when it changed) → look again at the next run time, at
 * most {@link #MAX_REFRESH} later, so that lastScheduledTime and lastJob follow the ticks. A
 * resource the rules refuse is rejected with a message and nothing is stored; a spec that was valid
 * before and is refused now leaves the stored schedule as it was. Deleting the resource deletes the
 * schedule (finalizer); its jobs stay.
 */
@ControllerConfiguration(name = JobScheduleReconciler.NAME)
public class JobScheduleReconciler
    implements Reconciler<JobScheduleResource>, Cleaner<JobScheduleResource> {

  public static final String NAME = "jobplane-jobschedule";

  /** The longest the status waits for a refresh; the last job's phase changes without a tick. */
  static final Duration MAX_REFRESH = Duration.ofSeconds(60);

  /** After the next run time, the tick needs a moment to be stored. */
  static final Duration TICK_SLACK = Duration.ofSeconds(1);

  /** Condition reasons. */
  static final String SCHEDULED = "Scheduled";

  static final String SUSPENDED = "Suspended";
  static final String REJECTED = "Rejected";

  private static final Logger LOG = LoggerFactory.getLogger(JobScheduleReconciler.class);

  private final ClusterSchedulesUseCase schedules;
  private final OperatorSettings settings;

  public JobScheduleReconciler(ClusterSchedulesUseCase schedules, OperatorSettings settings) {
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public UpdateControl<JobScheduleResource> reconcile(
      JobScheduleResource resource, Context<JobScheduleResource> context) {
    Instant now = settings.clock().instant();
    KubernetesEvents events = new KubernetesEvents(context.getClient(), JobReconciler.COMPONENT);
    JobScheduleStatus previous = resource.getStatus();
    ScheduleView view;
    try {
      ScheduleId id = ScheduleDefinitions.scheduleId(resource);
      ScheduleSpec spec = ScheduleDefinitions.spec(resource);
      List<String> violations = violations(resource, spec);
      if (!violations.isEmpty()) {
        return reject(
            resource,
            "spec.jobTemplate.spec.podTemplate refused by the "
                + settings.policy().level().name().toLowerCase(Locale.ROOT)
                + " policy: "
                + String.join("; ", violations),
            events,
            now);
      }
      view = schedules.apply(id, ScheduleDefinitions.owner(resource), spec);
    } catch (DomainException e) {
      if (e.reason() != DomainException.Reason.INVALID_ARGUMENT
          && e.reason() != DomainException.Reason.CONFLICT
          && e.reason() != DomainException.Reason.FORBIDDEN) {
        throw e; // the store's trouble, not the resource's: JOSDK retries
      }
      return reject(resource, ScheduleDefinitions.describe(e), events, now);
    } catch (IllegalArgumentException e) {
      return reject(resource, e.getMessage(), events, now);
    }

    JobScheduleStatus status =
        ScheduleDefinitions.status(view, resource.getMetadata().getNamespace());
    Long generation = resource.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    boolean suspended = view.schedule().spec().suspend();
    status.setConditions(
        StatusMapping.setCondition(
            conditionsOf(previous),
            JobCondition.READY,
            JobCondition.Status.True,
            suspended ? SUSPENDED : SCHEDULED,
            null,
            generation,
            ScheduleDefinitions.text(now)));
    if (previous == null || previous.getScheduleId() == null) {
      events.normal(
          resource,
          "Stored",
          "schedule "
              + status.getScheduleId()
              + " stored"
              + (status.getNextRunTime() == null ? "" : "; next run " + status.getNextRunTime()));
    } else if (previous.getMessage() != null) {
      events.normal(resource, "Accepted", "the spec is valid again and stored");
    }
    UpdateControl<JobScheduleResource> control =
        StatusPatches.ifChanged(resource, status, JobScheduleResource::new);
    control.rescheduleAfter(refreshAfter(view, now).toMillis(), TimeUnit.MILLISECONDS);
    return control;
  }

  /** The resource is going away: so is its schedule. Its jobs stay, as history. */
  @Override
  public DeleteControl cleanup(JobScheduleResource resource, Context<JobScheduleResource> context) {
    try {
      schedules.forget(ScheduleDefinitions.scheduleId(resource));
    } catch (IllegalArgumentException e) {
      LOG.debug(
          "resource {}/{} had no schedule: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          e.getMessage());
    }
    new KubernetesEvents(context.getClient(), JobReconciler.COMPONENT)
        .normal(resource, "Deleted", "resource deleted; its schedule is deleted, its jobs stay");
    return DeleteControl.defaultDelete();
  }

  /**
   * When to read the store again: just after the next run time (the tick is stored by then), within
   * {@link #MAX_REFRESH}; suspended or without a next run, after {@link #MAX_REFRESH}.
   */
  static Duration refreshAfter(ScheduleView view, Instant now) {
    Instant next = view.schedule().nextRunTime();
    if (view.schedule().spec().suspend() || next == null) {
      return MAX_REFRESH;
    }
    Duration until = Duration.between(now, next).plus(TICK_SLACK);
    if (until.compareTo(TICK_SLACK) < 0) {
      return TICK_SLACK; // due already: the loop is about to tick it
    }
    return until.compareTo(MAX_REFRESH) > 0 ? MAX_REFRESH : until;
  }

  /** The policy's verdict on the template's pods, as the Job reconciler would give it. */
  private List<String> violations(JobScheduleResource resource, ScheduleSpec spec) {
    PodTemplateSpec template = resource.getSpec().getJobTemplate().getSpec().getPodTemplate();
    return PodPolicyCheck.violations(
        resource.getMetadata().getNamespace(),
        spec.project(),
        PodPolicyCheck.harden(template, settings.policy()),
        settings.policy());
  }

  /**
   * Ready False with reason Rejected and the message; the rest of the status (a schedule stored for
   * an earlier, valid spec) is kept as it was.
   */
  private UpdateControl<JobScheduleResource> reject(
      JobScheduleResource resource, String message, KubernetesEvents events, Instant now) {
    JobScheduleStatus previous = resource.getStatus();
    JobScheduleStatus status =
        previous == null ? new JobScheduleStatus() : Serialization.clone(previous);
    String shown =
        status.getScheduleId() == null
            ? message
            : message + " (the stored schedule keeps its previous spec)";
    status.setMessage(shown);
    Long generation = resource.getMetadata().getGeneration();
    status.setObservedGeneration(generation);
    status.setConditions(
        StatusMapping.setCondition(
            status.getConditions(),
            JobCondition.READY,
            JobCondition.Status.False,
            REJECTED,
            shown,
            generation,
            ScheduleDefinitions.text(now)));
    if (previous == null || !shown.equals(previous.getMessage())) {
      events.warning(resource, REJECTED, shown);
    }
    return StatusPatches.ifChanged(resource, status, JobScheduleResource::new);
  }

  private static List<JobCondition> conditionsOf(JobScheduleStatus previous) {
    List<JobCondition> copy = new ArrayList<>();
    if (previous != null && previous.getConditions() != null) {
      previous.getConditions().forEach(c -> copy.add(Serialization.clone(c)));
    }
    return copy;
  }
}
