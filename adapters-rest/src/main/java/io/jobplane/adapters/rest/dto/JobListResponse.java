package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.JobPage;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  /** With the estimates of the listed jobs that have one; env shown for the projects given. */
  public static JobListResponse from(
      JobPage page,
      Instant now,
      Map<io.jobplane.domain.JobId, Long> estimates,
      java.util.function.Predicate<String> revealEnvOfProject) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JobStatus s : JobStatus.values()) {
      counts.put(s.name(), page.statusCounts().getOrDefault(s, 0L));
    }
    var p = page.page();
    return new JobListResponse(
        p.items().stream()
            .map(
                j ->
                    JobResponse.listItem(
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
}
