package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The queues overview: per queue of the caller's projects, what waits and runs, and why. */
public interface QueueOverviewUseCase {

  /** The most queues one answer lists; {@link Overview#truncated()} says when there were more. */
  int MAX_QUEUES = 500;

  /**
   * @param queues ordered by project, then queue
   * @param asOf when the counts were read, for the ages derived from them
   * @param limits the limits of the listed projects that have any (docs/limits.md), by project
   */
  record Overview(
      List<QueueSummary> queues,
      boolean truncated,
      Instant asOf,
      Map<String, ProjectLimits> limits) {
    public Overview {
      queues = List.copyOf(queues);
      Objects.requireNonNull(asOf, "asOf");
      limits = Map.copyOf(limits);
    }
  }

  /**
   * @param project only this project's queues, or null for every project the caller sees; a project
   *     the caller does not see is refused (FORBIDDEN)
   */
  Overview overview(Caller caller, String project);
}
