package io.jobplane.application.service;

import io.jobplane.application.port.in.ClusterSchedulesUseCase;
import io.jobplane.application.port.in.ControlJobUseCase;
import io.jobplane.application.port.in.ScheduleTicksUseCase;
import io.jobplane.application.port.in.SchedulesUseCase;
import io.jobplane.application.port.in.StopJobCommand;
import io.jobplane.application.port.in.SubmitJobCommand;
import io.jobplane.application.port.in.SubmitJobUseCase;
import io.jobplane.application.port.out.CronRules;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.ScheduleRepository;
import io.jobplane.application.port.out.ScheduleRepository.FinishedJob;
import io.jobplane.application.port.out.ScheduleRepository.TickOutcome;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.schedule.ConcurrencyPolicy;
import io.jobplane.domain.schedule.CronRule;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import io.jobplane.domain.schedule.ScheduleSpec;
import io.jobplane.domain.schedule.TickPlan;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Schedules: managed by users ({@link SchedulesUseCase}) or by {@code JobSchedule} resources
 * through the operator ({@link ClusterSchedulesUseCase}), and ticked by the server's loop ({@link
 * ScheduleTicksUseCase}) whoever manages them. A schedule a resource owns refuses the API's replace
 * and delete (409 naming the resource): the resource is its spec.
 *
 * <p>A tick is exactly once per (schedule, scheduled time) across server replicas, by two guards in
 * one transaction per schedule: the schedule's row is locked with SKIP LOCKED (a replica ticking it
 * makes the others pass it by), and each tick is claimed by inserting its unique row first (a tick
 * someone already handled is never started again, even if the schedule's progress were behind).
 * Jobs are submitted through {@link SubmitJobUseCase} in that same transaction (its transaction
 * joins ours), so a job, its tick and the schedule's progress commit together or not at all.
 */
public final class ScheduleService
    implements SchedulesUseCase, ScheduleTicksUseCase, ClusterSchedulesUseCase {

  private static final System.Logger log = System.getLogger(ScheduleService.class.getName());
  static final int BATCH = 200;
  public static final int MAX_LIST = 500;

  private final ScheduleRepository schedules;
  private final JobRepository jobs;
  private final SubmitJobUseCase submit;
  private final ControlJobUseCase control;
  private final CronRules cron;
  private final TransactionRunner tx;
  private final Clock clock;

  public ScheduleService(
      ScheduleRepository schedules,
      JobRepository jobs,
      SubmitJobUseCase submit,
      ControlJobUseCase control,
      CronRules cron,
      TransactionRunner tx,
      Clock clock) {
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.submit = Objects.requireNonNull(submit, "submit");
    this.control = Objects.requireNonNull(control, "control");
    this.cron = Objects.requireNonNull(cron, "cron");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ScheduleView create(Caller caller, Supplier<ScheduleSpec> specs) {
    AccessPolicy.requireWrite(caller);
    ScheduleSpec spec = specs.get();
    AccessPolicy.requireSubmitTo(caller, spec.project());
    CronRule rule = cron.parse(spec.cron());
    Schedule created =
        Schedule.create(ScheduleId.random(), spec, caller.name(), Clocks.now(clock), rule);
    return new ScheduleView(schedules.insert(created), null);
  }

  @Override
  public ScheduleView get(Caller caller, ScheduleId id) {
    AccessPolicy.requireRead(caller);
    return view(visible(caller, schedules.find(id).orElse(null)));
  }

  @Override
  public List<ScheduleView> list(Caller caller, String project, int limit) {
    AccessPolicy.requireRead(caller);
    Set<String> projects;
    if (project != null) {
      if (!caller.sees(project)) {
        return List.of();
      }
      projects = Set.of(project);
    } else {
      projects = caller.projects();
    }
    int bounded = Math.max(1, Math.min(limit, MAX_LIST));
    return schedules.list(projects, bounded).stream().map(this::view).toList();
  }

  @Override
  public ScheduleView replace(Caller caller, ScheduleId id, Supplier<ScheduleSpec> specs) {
    AccessPolicy.requireWrite(caller);
    return tx.inTransaction(
        () -> {
          Schedule current = visible(caller, schedules.find(id).orElse(null));
          AccessPolicy.requireSubmitTo(caller, current.spec().project());
          current.requireApiManaged("replace");
          ScheduleSpec spec = specs.get();
          AccessPolicy.requireSubmitTo(caller, spec.project());
          CronRule rule = cron.parse(spec.cron());
          return view(schedules.update(current.replace(spec, Clocks.now(clock), rule)));
        });
  }

  @Override
  public void delete(Caller caller, ScheduleId id) {
    // writes refuse a caller who may not write before looking: the same 403 for any id
    AccessPolicy.requireWrite(caller);
    tx.inTransaction(
        () -> {
          Schedule current = visible(caller, schedules.find(id).orElse(null));
          AccessPolicy.requireSubmitTo(caller, current.spec().project());
          current.requireApiManaged("delete");
          schedules.delete(id);
          return null;
        });
  }

  @Override
  public JobSnapshot trigger(Caller caller, ScheduleId id) {
    AccessPolicy.requireWrite(caller);
    return tx.inTransaction(
        () -> {
          Schedule current = visible(caller, schedules.find(id).orElse(null));
          AccessPolicy.requireSubmitTo(caller, current.spec().project());
          Instant now = Clocks.now(clock);
          // the job is the caller's: its timeline and created_by name who asked for it
          JobSnapshot job =
              submit.submit(new SubmitJobCommand(caller, current.jobFor(now), false, null)).job();
          schedules.update(current.triggered(job.id()));
          return job;
        });
  }

  @Override
  public ScheduleView apply(ScheduleId id, ScheduleResource resource, ScheduleSpec spec) {
    CronRule rule = cron.parse(spec.cron()); // before anything is stored
    return tx.inTransaction(
        () -> {
          Schedule current = schedules.find(id).orElse(null);
          if (current == null) {
            return view(
                schedules.insert(Schedule.createFor(resource, id, spec, Clocks.now(clock), rule)));
          }
          if (!resource.equals(current.resource())) {
            // ids are resource UIDs, so this is a schedule of the API or of another resource
            throw DomainException.conflict(
                "schedule " + id + " is not managed by JobSchedule resource " + resource);
          }
          if (current.spec().equals(spec)) {
            return view(current); // the common case: a status refresh
          }
          return view(schedules.update(current.replace(spec, Clocks.now(clock), rule)));
        });
  }

  @Override
  public void forget(ScheduleId id) {
    schedules.delete(id);
  }

  @Override
  public TickResult tick(Instant at) {
    Instant now = at.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    int ticked = 0;
    int started = 0;
    int skipped = 0;
    int missed = 0;
    for (ScheduleId id : schedules.due(now, BATCH)) {
      try {
        TickResult one = tx.inTransaction(() -> tickOne(id, now));
        if (one != null) {
          ticked++;
          started += one.jobsStarted();
          skipped += one.skipped();
          missed += one.missed();
        }
      } catch (RuntimeException e) {
        // rolled back: nothing of this tick happened, the schedule stays due and is tried again
        log.log(System.Logger.Level.WARNING, "schedule " + id + " could not tick", e);
      }
    }
    return new TickResult(ticked, started, skipped, missed);
  }

  /** One schedule under its row lock; null when another replica holds it or it is not due. */
  private TickResult tickOne(ScheduleId id, Instant now) {
    Schedule schedule = schedules.lockDue(id, now).orElse(null);
    if (schedule == null) {
      return null;
    }
    CronRule rule = cron.parse(schedule.spec().cron());
    TickPlan plan = schedule.plan(now, rule);
    Caller runner = runnerOf(schedule);
    JobId lastStarted = null;
    int started = 0;
    int skipped = 0;
    for (Instant tick : plan.run()) {
      if (!schedules.claimTick(id, tick, now)) {
        continue;
      }
      List<JobId> active = schedules.activeJobs(id);
      ConcurrencyPolicy policy = schedule.spec().concurrencyPolicy();
      if (policy == ConcurrencyPolicy.FORBID && !active.isEmpty()) {
        schedules.recordTick(id, tick, TickOutcome.SKIPPED, null);
        skipped++;
        continue;
      }
      if (policy == ConcurrencyPolicy.REPLACE) {
        for (JobId running : active) {
          // a job still stopping from an earlier tick is on its way out; stopping it again is
          // an illegal transition that would roll back this whole tick
          boolean stopping =
              jobs.findById(running).map(j -> j.status() == JobStatus.STOPPING).orElse(true);
          if (!stopping) {
            control.stop(new StopJobCommand(runner, running, StopMode.GRACEFUL, null));
          }
        }
      }
      JobSnapshot job =
          submit.submit(new SubmitJobCommand(runner, schedule.jobFor(tick), false, null)).job();
      schedules.recordTick(id, tick, TickOutcome.STARTED, job.id());
      lastStarted = job.id();
      started++;
    }
    schedules.update(schedule.ticked(plan, lastStarted));
    enforceHistory(schedule, runner);
    return new TickResult(1, started, skipped, plan.missed());
  }

  /**
   * Deletes the oldest finished jobs beyond the limits: succeeded jobs against one limit, every
   * other finished state (failed, timed out, partially failed, stopped, rejected) against the
   * other, so jobs a REPLACE policy stops do not pile up either.
   */
  private void enforceHistory(Schedule schedule, Caller runner) {
    int succeeded = 0;
    int unsuccessful = 0;
    for (FinishedJob job : schedules.finishedJobs(schedule.id())) {
      boolean keep =
          job.status() == JobStatus.SUCCEEDED
              ? ++succeeded <= schedule.spec().successfulJobsHistoryLimit()
              : ++unsuccessful <= schedule.spec().failedJobsHistoryLimit();
      if (!keep) {
        control.delete(runner, job.id());
      }
    }
  }

  /** Who a schedule's jobs are started and cleaned up by: a submitter of its project only. */
  private static Caller runnerOf(Schedule schedule) {
    return new Caller(
        "schedule:" + schedule.id(), Set.of(Role.SUBMITTER), Set.of(schedule.spec().project()));
  }

  private ScheduleView view(Schedule s) {
    return new ScheduleView(
        s, s.lastJob() == null ? null : jobs.findById(s.lastJob()).orElse(null));
  }

  private static Schedule visible(Caller caller, Schedule schedule) {
    if (schedule == null || !caller.sees(schedule.spec().project())) {
      // the same answer for both, so a schedule's existence in another project does not leak
      throw DomainException.notFound("schedule not found");
    }
    return schedule;
  }
}
