package io.jobplane.application.port.in;

import io.jobplane.application.port.out.ProjectLimitsStore.ProjectUsage;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.ProjectLimits;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The limits of a project ({@code max_running}, {@code max_queued}, per queue, and the fair-share
 * weight): read by whoever may read the project's jobs, set by admins. A project the caller cannot
 * see answers as missing.
 */
public interface ProjectLimitsUseCase {

  /**
   * A project's limits and their usage now ({@code usage.queues}: each queue the limits name).
   * {@code updatedAt} and {@code updatedBy} are null for a project that never had limits.
   */
  record LimitsView(
      String project,
      ProjectLimits limits,
      ProjectUsage usage,
      Instant updatedAt,
      String updatedBy) {}

  /** The most projects {@link #everyProject} lists. */
  int MAX_PROJECTS = 500;

  LimitsView get(Caller caller, String project);

  /**
   * Every project that has limits (at most {@link #MAX_PROJECTS}, by project), with their usage,
   * for the gauges of {@code /metrics}. No caller: that one reader checks its own.
   */
  List<LimitsView> everyProject();

  /**
   * Replaces {@code project}'s limits (empty limits remove them). {@code limits} is read only once
   * the caller may set them: who may not is refused before a word of the body is judged.
   */
  LimitsView put(Caller caller, String project, Supplier<ProjectLimits> limits);
}
