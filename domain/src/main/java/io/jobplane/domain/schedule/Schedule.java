package io.jobplane.domain.schedule;

import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A stored schedule: its spec and where it stands. {@code updatedAt} is when the spec last changed
 * (create, replace): ticks before it are never caught up, so a resumed or re-timed schedule does
 * not start runs its earlier spec missed. Ticks and manual runs change {@code lastScheduledTime},
 * {@code nextRunTime} and {@code lastJob} only. {@code resource} is the {@code JobSchedule} custom
 * resource that owns the schedule, null for one managed through the API.
 */
public record Schedule(
    ScheduleId id,
    ScheduleSpec spec,
    String createdBy,
    Instant createdAt,
    Instant updatedAt,
    Instant lastScheduledTime,
    Instant nextRunTime,
    JobId lastJob,
    long version,
    ScheduleResource resource) {

  public Schedule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(createdBy, "createdBy");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A new schedule (version 0 until stored), next firing computed from {@code now}. */
  public static Schedule create(
      ScheduleId id, ScheduleSpec spec, String createdBy, Instant now, CronRule rule) {
    return new Schedule(
        id, spec, createdBy, now, now, null, nextRun(spec, rule, now), null, 0, null);
  }

  /** A new schedule owned by a {@code JobSchedule} resource. */
  public static Schedule createFor(
      ScheduleResource resource, ScheduleId id, ScheduleSpec spec, Instant now, CronRule rule) {
    return new Schedule(
        id,
        spec,
        "kubernetes:" + resource.namespace(),
        now,
        now,
        null,
        nextRun(spec, rule, now),
        null,
        0,
        Objects.requireNonNull(resource, "resource"));
  }

  /**
   * Refuses {@code attempted} (e.g. "replace", "delete") through the API when a resource owns the
   * schedule: the resource would put its spec back, or bring the schedule back, on its next
   * reconcile.
   */
  public void requireApiManaged(String attempted) {
    if (resource != null) {
      throw resource.ownsIt(id, attempted);
    }
  }

  /** The spec replaced: runs are counted from now under the new rule. */
  public Schedule replace(ScheduleSpec newSpec, Instant now, CronRule rule) {
    return new Schedule(
        id,
        newSpec,
        createdBy,
        createdAt,
        now,
        lastScheduledTime,
        nextRun(newSpec, rule, now),
        lastJob,
        version,
        resource);
  }

  /** The ticks due now; nothing while suspended (the next run is still shown). */
  public TickPlan plan(Instant now, CronRule rule) {
    if (spec.suspend()) {
      return new TickPlan(List.of(), null, nextRun(spec, rule, now), 0);
    }
    Instant since =
        lastScheduledTime == null || lastScheduledTime.isBefore(updatedAt)
            ? updatedAt
            : lastScheduledTime;
    return TickRule.plan(
        since, now, rule, spec.timeZone(), spec.maxCatchUp(), spec.startingDeadlineSeconds());
  }

  /** After a tick: everything up to the plan's latest due tick is dealt with. */
  public Schedule ticked(TickPlan plan, JobId startedJob) {
    return new Schedule(
        id,
        spec,
        createdBy,
        createdAt,
        updatedAt,
        plan.latestDue() == null ? lastScheduledTime : plan.latestDue(),
        plan.nextRunTime(),
        startedJob == null ? lastJob : startedJob,
        version,
        resource);
  }

  /**
   * After a manual run: the schedule shows it as its last job. {@code lastScheduledTime} stays the
   * cron's progress, so a tick that fell due just before the manual run still runs.
   */
  public Schedule triggered(JobId startedJob) {
    return new Schedule(
        id,
        spec,
        createdBy,
        createdAt,
        updatedAt,
        lastScheduledTime,
        nextRunTime,
        Objects.requireNonNull(startedJob, "startedJob"),
        version,
        resource);
  }

  /**
   * The job this schedule starts for {@code scheduledTime}: its template, labelled with the
   * schedule's id and the scheduled time, so its jobs are found (and their history limited) by
   * label.
   */
  public JobDefinition jobFor(Instant scheduledTime) {
    JobDefinition t = spec.job();
    Map<String, String> labels = new TreeMap<>(t.labels().values());
    labels.putAll(new ScheduledRun(id, scheduledTime).labels());
    return t.withLabels(new Labels(labels));
  }

  public Schedule withVersion(long newVersion) {
    return new Schedule(
        id,
        spec,
        createdBy,
        createdAt,
        updatedAt,
        lastScheduledTime,
        nextRunTime,
        lastJob,
        newVersion,
        resource);
  }

  private static Instant nextRun(ScheduleSpec spec, CronRule rule, Instant now) {
    return rule.next(now.atZone(spec.timeZone())).map(z -> z.toInstant()).orElse(null);
  }
}
