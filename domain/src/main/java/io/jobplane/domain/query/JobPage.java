package io.jobplane.domain.query;

import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import java.util.EnumMap;
import java.util.Map;

/**
 * A page of jobs. {@code total} counts jobs matching the whole filter; {@code statusCounts} counts
 * jobs matching the filter without its status part, per status, so a client can show how many jobs
 * sit in each state next to the current selection.
 */
public record JobPage(Page<JobSnapshot> page, Map<JobStatus, Long> statusCounts) {

  public JobPage {
    EnumMap<JobStatus, Long> all = new EnumMap<>(JobStatus.class);
    for (JobStatus s : JobStatus.values()) {
      all.put(s, statusCounts.getOrDefault(s, 0L));
    }
    statusCounts = Map.copyOf(all);
  }
}
