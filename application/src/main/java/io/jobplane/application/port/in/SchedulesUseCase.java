package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.schedule.Schedule;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleSpec;
import java.util.List;
import java.util.function.Supplier;

/**
 * Schedules a user manages. A schedule of a project the caller cannot see is reported missing
 * (404), whatever the operation.
 */
public interface SchedulesUseCase {

  /** A schedule with its last job (null when it has none, or it was deleted). */
  record ScheduleView(Schedule schedule, JobSnapshot lastJob) {

    /** The status of the last job; null when there is none. */
    public JobStatus lastJobStatus() {
      return lastJob == null ? null : lastJob.status();
    }
  }

  /**
   * Creates a schedule. The spec is read only once the caller may write at all, so a caller who may
   * not learns nothing from how its body is validated.
   */
  ScheduleView create(Caller caller, Supplier<ScheduleSpec> spec);

  ScheduleView get(Caller caller, ScheduleId id);

  /** The schedules of {@code project} (null: of every project the caller sees), by name. */
  List<ScheduleView> list(Caller caller, String project, int limit);

  /** Replaces the spec; read only after the schedule was found visible and writable. */
  ScheduleView replace(Caller caller, ScheduleId id, Supplier<ScheduleSpec> spec);

  void delete(Caller caller, ScheduleId id);

  /**
   * Runs the schedule's job now, whatever its policy or suspension (like a CronJob's manual run).
   */
  JobSnapshot trigger(Caller caller, ScheduleId id);
}
