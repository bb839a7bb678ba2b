package io.jobplane.domain.schedule;

import io.jobplane.domain.DomainException;
import java.util.Objects;

/**
 * The {@code JobSchedule} custom resource a schedule was created from. A schedule with one is owned
 * by the cluster: its spec is the resource's, so it is changed and deleted through the resource
 * only ({@link Schedule#requireApiManaged}).
 */
public record ScheduleResource(String namespace, String name) {

  public ScheduleResource {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }

  /** The refusal of a write that would bypass the resource; a 409 naming it. */
  DomainException ownsIt(ScheduleId id, String attempted) {
    return new DomainException(
        DomainException.Reason.CONFLICT,
        "schedule "
            + id
            + " is managed by JobSchedule resource "
            + this
            + ": "
            + attempted
            + " it through the resource (kubectl edit / kubectl delete jobschedule "
            + name
            + " -n "
            + namespace
            + ")");
  }
}
