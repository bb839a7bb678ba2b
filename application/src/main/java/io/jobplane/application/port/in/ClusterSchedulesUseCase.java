package io.jobplane.application.port.in;

import io.jobplane.application.port.in.SchedulesUseCase.ScheduleView;
import io.jobplane.domain.schedule.ScheduleId;
import io.jobplane.domain.schedule.ScheduleResource;
import io.jobplane.domain.schedule.ScheduleSpec;

/**
 * What the Kubernetes operator tells the store about {@code JobSchedule} resources: the resource is
 * the schedule's spec, the store ticks it like any other (the API server's schedule loop), and the
 * resource's status shows the store's progress. Calls are idempotent, so the operator may repeat
 * them after a conflict, a retry or a restart.
 */
public interface ClusterSchedulesUseCase {

  /**
   * Makes the stored schedule {@code id} the resource's: created (owned by {@code resource}) on
   * first sight, its spec replaced when it differs, left as it is otherwise. An invalid cron is a
   * {@code DomainException} naming {@code cron}; a schedule of that name in the project that the
   * resource does not own is a CONFLICT. Returns the stored schedule and its last job's status.
   */
  ScheduleView apply(ScheduleId id, ScheduleResource resource, ScheduleSpec spec);

  /** The resource is being deleted: so is its schedule (its jobs stay). Unknown ids are ignored. */
  void forget(ScheduleId id);
}
