package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable home of schedules and of their ticks. Writes are optimistic like jobs': {@link #update}
 * matches the version the schedule was loaded with, or throws a CONFLICT and changes nothing.
 */
public interface ScheduleRepository {

  /** What became of one tick (schedule, scheduled time). */
  enum TickOutcome {
    /** A job was started for it. */
    STARTED,
    /** FORBID: an earlier job of the schedule was still active. */
    SKIPPED
  }

  /** A finished job of a schedule, as the history limits see it. */
  record FinishedJob(JobId id, JobStatus status, Instant finishedAt) {}

  /** Stores a new schedule (version 1); a CONFLICT when its project has one of that name. */
  Schedule insert(Schedule schedule);

  Optional<Schedule> find(ScheduleId id);

  /** Schedules of these projects (null: every project) by name, at most {@code limit}. */
  List<Schedule> list(Set<String> projects, int limit);

  /** Stores the schedule's new state; returns it with the next version. */
  Schedule update(Schedule schedule);

  /** Deletes the schedule and its ticks (its jobs stay); false when it did not exist. */
  boolean delete(ScheduleId id);

  /** Unsuspended schedules whose next run time has come, soonest first, at most {@code limit}. */
  List<ScheduleId> due(Instant now, int limit);

  /**
   * The earliest next run time of the unsuspended schedules that are due at {@code now}: how far
   * the schedule loop is behind. Empty when none is due.
   */
  Optional<Instant> oldestDue(Instant now);

  /**
   * Locks the schedule's row if it is still due and no other transaction holds it (SKIP LOCKED):
   * empty when another replica is ticking it or it is not due any more.
   */
  Optional<Schedule> lockDue(ScheduleId id, Instant now);

  /**
   * Claims a tick: inserts (schedule, scheduled time) unless it exists. False when it does: that
   * tick was handled already, by this process or another.
   */
  boolean claimTick(ScheduleId id, Instant scheduledTime, Instant at);

  /** Records what the claimed tick did. */
  void recordTick(ScheduleId id, Instant scheduledTime, TickOutcome outcome, JobId job);

  /** Jobs of the schedule (found by its label) that are not finished. */
  List<JobId> activeJobs(ScheduleId id);

  /** Finished jobs of the schedule, most recently finished first. */
  List<FinishedJob> finishedJobs(ScheduleId id);
}
