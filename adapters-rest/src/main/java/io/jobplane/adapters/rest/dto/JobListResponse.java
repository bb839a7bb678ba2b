package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.port.in.QueryJobsUseCase.ExpandedPage;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.ListExpansion;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "JobList")
public record JobListResponse(
    List<JobResponse> items,
    @Schema(description = "jobs matching the whole filter") long total,
    int limit,
    int offset,
    boolean hasMore,
    @Schema(nullable = true, description = "pass as ?cursor= to read the next page")
        String nextCursor,
    @Schema(description = "jobs per status for the filter without its status part")
        Map<String, Long> statusCounts) {

  /**
   * With the estimates of the listed jobs that have one, and what was expanded; env shown for the
   * projects given.
   */
  public static JobListResponse from(
      ExpandedPage expanded,
      Instant now,
      Map<JobId, Long> estimates,
      Predicate<String> revealEnvOfProject) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JobStatus s : JobStatus.values()) {
      counts.put(s.name(), expanded.page().statusCounts().getOrDefault(s, 0L));
    }
    var p = expanded.page().page();
    boolean plain = expanded.expanded().isEmpty();
    return new JobListResponse(
        p.items().stream()
            .map(
                j ->
                    plain
                        ? JobResponse.listItem(
                            j,
                            now,
                            estimates.get(j.id()),
                            revealEnvOfProject.test(j.definition().project()))
                        : expandedItem(
                            expanded,
                            j,
                            now,
                            estimates.get(j.id()),
                            revealEnvOfProject.test(j.definition().project())))
            .toList(),
        p.total(),
        p.limit(),
        p.offset(),
        p.hasMore(),
        p.nextCursor(),
        counts);
  }

  /**
   * A list item with its expansions, in the fields a single-job read uses for them: {@code tasks},
   * {@code items}, {@code output}, {@code changed}, and in {@code extras} the tasks themselves and
   * the newest events, with how much each bound left out.
   */
  private static JobResponse expandedItem(
      ExpandedPage expanded, JobSnapshot job, Instant now, Long estimate, boolean revealEnv) {
    JobId id = job.id();
    RunTasks tasks =
        expanded.has(ListExpansion.TASKS) ? expanded.tasks().getOrDefault(id, RunTasks.NONE) : null;
    RunOutputs outputs =
        expanded.has(ListExpansion.OUTPUT)
            ? expanded.outputs().getOrDefault(id, RunOutputs.NONE)
            : null;
    List<TimelineEvent> events =
        expanded.has(ListExpansion.TIMELINE)
            ? expanded.latestEvents().getOrDefault(id, List.of())
            : null;
    String output = outputs == null ? null : outputs.outputJson();
    JobResponse.RunFields run =
        new JobResponse.RunFields(
            tasks == null ? null : TaskDtos.TaskCounts.from(tasks.counts()),
            expanded.has(ListExpansion.ITEMS)
                ? TaskDtos.ItemCounts.from(expanded.items().get(id))
                : null,
            output == null ? null : JobResponse.parse(output),
            outputs == null ? null : outputs.changed());
    JobResponse.Extras extras =
        tasks == null && outputs == null && events == null
            ? null
            : new JobResponse.Extras(
                events == null ? null : events.stream().map(EventResponse::from).toList(),
                tasks == null
                    ? null
                    : tasks.first().stream().map(t -> TaskDtos.TaskBody.from(t, now)).toList(),
                tasks == null ? null : tasks.omitted(),
                outputs == null ? null : outputs.omitted());
    return JobResponse.listItem(job, now, estimate, revealEnv, run, extras);
  }
}
