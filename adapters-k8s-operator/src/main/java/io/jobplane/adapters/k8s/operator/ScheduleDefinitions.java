package io.jobplane.adapters.k8s.operator;

import io.jobplane.adapters.k8s.crd.DesiredState;
import io.jobplane.adapters.k8s.crd.JobScheduleResource;
import io.jobplane.adapters.k8s.crd.JobScheduleSpec;
import io.jobplane.adapters.k8s.crd.JobScheduleStatus;
import io.jobplane.adapters.k8s.crd.JobSpec;
import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.schedule.ConcurrencyPolicy;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Translates between a {@code JobSchedule} resource and the store's schedule: the spec into a
 * {@link ScheduleSpec} (validated by the domain, as a REST schedule is), the stored schedule back
 * into the status. Holds no rules of its own beyond the template's run controls, which a schedule
 * has no use for.
 */
public final class ScheduleDefinitions {

  /** The domain's field names, as a user of the resource knows them. */
  private static final Map<String, String> FIELDS =
      Map.of(
          "cron", "spec.schedule",
          "time_zone", "spec.timeZone",
          "starting_deadline_seconds", "spec.startingDeadlineSeconds",
          "max_catch_up", "spec.maxCatchUp",
          "successful_jobs_history_limit", "spec.successfulJobsHistoryLimit",
          "failed_jobs_history_limit", "spec.failedJobsHistoryLimit",
          "name", "metadata.name");

  private static final String TEMPLATE = "spec.jobTemplate.spec.";

  private ScheduleDefinitions() {}

  /** The store id of the resource's schedule: the resource's UID (new when it is re-created). */
  public static ScheduleId scheduleId(JobScheduleResource resource) {
    return new ScheduleId(UUID.fromString(resource.getMetadata().getUid()));
  }

  public static ScheduleResource owner(JobScheduleResource resource) {
    return new ScheduleResource(
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /**
   * What the store keeps of the resource. Throws a DomainException (its field named as in the
   * resource, see {@link #describe}) for what the schema let through: an unknown time zone, a run
   * control in the template, a template the store cannot hold. The cron expression is read by the
   * use case's parser.
   */
  public static ScheduleSpec spec(JobScheduleResource resource) {
    JobScheduleSpec spec = resource.getSpec();
    if (spec.getJobTemplate() == null || spec.getJobTemplate().getSpec() == null) {
      throw DomainException.invalid("spec.jobTemplate.spec", "is required");
    }
    JobSpec template = spec.getJobTemplate().getSpec();
    refuseRunControls(template);
    String namespace = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    return ScheduleSpec.builder()
        // unique per project: two namespaces of one project may each have a schedule "nightly"
        .name(namespace + "/" + name)
        .cron(spec.getSchedule())
        .timeZone(zone(spec.getTimeZone()))
        // each job gets its own Job resource, named after its id
        .job(
            ResourceDefinitions.definition(
                template, name, namespace, null, ResourceDefinitions.podTemplate(template, false)))
        .concurrencyPolicy(policy(spec.getConcurrencyPolicy()))
        .startingDeadlineSeconds(spec.getStartingDeadlineSeconds())
        .maxCatchUp(
            Optional.ofNullable(spec.getMaxCatchUp()).orElse(ScheduleSpec.DEFAULT_MAX_CATCH_UP))
        .suspend(Boolean.TRUE.equals(spec.getSuspend()))
        .successfulJobsHistoryLimit(
            Optional.ofNullable(spec.getSuccessfulJobsHistoryLimit())
                .orElse(ScheduleSpec.DEFAULT_SUCCESSFUL_HISTORY))
        .failedJobsHistoryLimit(
            Optional.ofNullable(spec.getFailedJobsHistoryLimit())
                .orElse(ScheduleSpec.DEFAULT_FAILED_HISTORY))
        .build();
  }

  /**
   * A refusal as the resource's user reads it: the domain's field names become the resource's paths
   * ({@code cron: ...} is {@code spec.schedule: ...}, {@code job.type} is {@code
   * spec.jobTemplate.spec.type}).
   */
  public static String describe(DomainException e) {
    if (e.errors().isEmpty()) {
      return e.getMessage();
    }
    List<String> parts = new ArrayList<>();
    for (DomainException.FieldError error : e.errors()) {
      parts.add(path(error.field()) + ": " + error.message());
    }
    return String.join("; ", parts);
  }

  static String path(String field) {
    if (FIELDS.containsKey(field)) {
      return FIELDS.get(field);
    }
    if (field.startsWith("job.")) {
      return TEMPLATE + field.substring("job.".length());
    }
    if (field.equals("kubernetes.pod_template")) {
      return TEMPLATE + "podTemplate";
    }
    if (field.startsWith("kubernetes.")) {
      return "metadata"; // the resource's namespace or name
    }
    return field.startsWith("spec.") ? field : TEMPLATE + field;
  }

  /**
   * The status the stored schedule gives, conditions aside. The last job's resource is named when
   * it runs in the schedule's namespace (always, unless the template was changed meanwhile).
   */
  static JobScheduleStatus status(ScheduleView view, String namespace) {
    Schedule s = view.schedule();
    JobScheduleStatus status = new JobScheduleStatus();
    status.setScheduleId(s.id().toString());
    status.setLastScheduledTime(text(s.lastScheduledTime()));
    status.setNextRunTime(s.spec().suspend() ? null : text(s.nextRunTime()));
    JobSnapshot last = view.lastJob();
    if (s.lastJob() != null) {
      String resourceName =
          last != null
                  && last.definition().kubernetes() != null
                  && namespace.equals(last.definition().kubernetes().namespace())
              ? last.definition().kubernetes().resourceName()
              : null;
      status.setLastJob(
          new JobScheduleStatus.LastJob(
              s.lastJob().toString(),
              resourceName,
              last == null ? null : ResourceDefinitions.toPhase(last.status())));
    }
    return status;
  }

  private static void refuseRunControls(JobSpec t) {
    List<DomainException.FieldError> errors = new ArrayList<>();
    if (t.getDesiredState() == DesiredState.STOPPED) {
      errors.add(refused("desiredState", "set spec.suspend to start no more jobs"));
    }
    if (t.getRestartNonce() != null) {
      errors.add(refused("restartNonce", "each tick starts a new job"));
    }
    if (t.getFromCheckpoint() != null) {
      errors.add(refused("fromCheckpoint", "each tick starts a new job"));
    }
    if (Boolean.TRUE.equals(t.getSuspend())) {
      errors.add(refused("suspend", "set spec.suspend to start no more jobs"));
    }
    if (t.getTtlSecondsAfterFinished() != null) {
      errors.add(
          refused(
              "ttlSecondsAfterFinished",
              "spec.successfulJobsHistoryLimit and spec.failedJobsHistoryLimit delete old jobs"));
    }
    if (t.getCompletions() != null
        && t.getParallelism() != null
        && !t.getCompletions().equals(t.getParallelism())) {
      errors.add(
          new DomainException.FieldError(
              "spec.jobTemplate.spec.completions",
              "must equal parallelism in a schedule's template (each job runs completions tasks"
                  + " at once)"));
    }
    if (!errors.isEmpty()) {
      throw new DomainException(
          DomainException.Reason.INVALID_ARGUMENT,
          String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList()),
          errors);
    }
  }

  private static DomainException.FieldError refused(String field, String instead) {
    return new DomainException.FieldError(
        TEMPLATE + field, "controls a single job and is not allowed in a schedule; " + instead);
  }

  private static ZoneId zone(String text) {
    if (text == null) {
      return ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw DomainException.invalid(
          "time_zone",
          "unknown time zone '" + text + "' (expected an IANA name, e.g. Europe/Berlin)");
    }
  }

  private static ConcurrencyPolicy policy(io.jobplane.adapters.k8s.crd.ConcurrencyPolicy p) {
    if (p == null) {
      return ConcurrencyPolicy.ALLOW;
    }
    return switch (p) {
      case Allow -> ConcurrencyPolicy.ALLOW;
      case Forbid -> ConcurrencyPolicy.FORBID;
      case Replace -> ConcurrencyPolicy.REPLACE;
    };
  }

  static String text(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
