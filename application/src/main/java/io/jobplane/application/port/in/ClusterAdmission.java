package io.jobplane.application.port.in;

import io.jobplane.domain.ProjectLimits;

/**
 * Whether a Kubernetes job's run may start now ({@link ClusterJobsUseCase#admit}): admitted, or
 * held by its project's or queue's {@code max_running}, which is then named with its usage.
 *
 * @param heldBy the full running limit; null when the run is admitted
 * @param message what the resource's status and the job's waiting reason say while it is held; null
 *     when admitted
 */
public record ClusterAdmission(ProjectLimits.Use heldBy, String message) {

  public static final ClusterAdmission ADMITTED = new ClusterAdmission(null, null);

  public boolean admitted() {
    return heldBy == null;
  }
}
