package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.query.Page;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Reading jobs, limited to what the caller may see. */
public interface QueryJobsUseCase {

  JobSnapshot get(Caller caller, JobId id);

  JobPage list(Caller caller, JobQuery query);

  /**
   * {@link #list} with what {@code expansions} add to each job of the page ({@link ListExpansion}),
   * each bounded per job; every expansion costs one more read for the whole page, none costs
   * nothing more than the list.
   */
  ExpandedPage list(Caller caller, JobQuery query, Set<ListExpansion> expansions);

  /**
   * A page of jobs and, per job, what was expanded: a map of an expansion that was not asked for is
   * empty; {@link #tasks} and {@link #outputs} hold a value for every job of the page, {@link
   * #items} only for jobs whose tasks reported items.
   */
  record ExpandedPage(
      JobPage page,
      Set<ListExpansion> expanded,
      Map<JobId, RunTasks> tasks,
      Map<JobId, TaskItems> items,
      Map<JobId, RunOutputs> outputs,
      Map<JobId, List<TimelineEvent>> latestEvents) {

    public ExpandedPage {
      Objects.requireNonNull(page, "page");
      expanded =
          Collections.unmodifiableSet(
              expanded.isEmpty() ? EnumSet.noneOf(ListExpansion.class) : EnumSet.copyOf(expanded));
      tasks = Map.copyOf(tasks);
      items = Map.copyOf(items);
      outputs = Map.copyOf(outputs);
      latestEvents = Map.copyOf(latestEvents);
    }

    /** The page with nothing expanded. */
    public static ExpandedPage plain(JobPage page) {
      return new ExpandedPage(page, Set.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    public boolean has(ListExpansion expansion) {
      return expanded.contains(expansion);
    }
  }

  Page<TimelineEvent> timeline(Caller caller, JobId id, int limit, int offset);

  /** The newest events of a job, newest first (for verbose job details). */
  List<TimelineEvent> latestEvents(Caller caller, JobId id, int limit);

  /** Jobs per status over the whole store, for operational metrics. */
  Map<JobStatus, Long> countByStatus();
}
