package io.jobplane.application.service;

import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.application.port.out.JobListExpansions;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.RunOutputs;
import io.jobplane.domain.RunTasks;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.ListExpansion;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.query.PageRequest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class QueryJobsService implements QueryJobsUseCase {

  private final JobRepository jobs;
  private final JobListExpansions expansions;

  public QueryJobsService(JobRepository jobs, JobListExpansions expansions) {
    this.jobs = jobs;
    this.expansions = expansions;
  }

  @Override
  public JobSnapshot get(Caller caller, JobId id) {
    AccessPolicy.requireRead(caller);
    return AccessPolicy.visible(caller, jobs.findById(id).orElse(null));
  }

  @Override
  public JobPage list(Caller caller, JobQuery query) {
    AccessPolicy.requireRead(caller);
    JobFilter filter = query.filter();
    if (caller.projects() != null) {
      Set<String> visible = new HashSet<>(caller.projects());
      if (filter.visibleProjects() != null) {
        visible.retainAll(filter.visibleProjects());
      }
      filter = filter.withVisibleProjects(visible);
    }
    return jobs.list(query.withFilter(filter));
  }

  /**
   * The page first, then one read per expansion for all of its jobs. The reads are not one
   * snapshot: a job that changes in between shows the tasks and output of the run the page read
   * (they are read by run), and its newest events may already tell of the change.
   */
  @Override
  public ExpandedPage list(Caller caller, JobQuery query, Set<ListExpansion> expand) {
    JobPage page = list(caller, query);
    List<JobSnapshot> listed = page.page().items();
    if (expand.isEmpty() || listed.isEmpty()) {
      return new ExpandedPage(page, expand, Map.of(), Map.of(), Map.of(), Map.of());
    }
    Map<JobId, Integer> runs = new LinkedHashMap<>();
    listed.forEach(j -> runs.put(j.id(), j.runId()));
    Map<JobId, RunTasks> tasks = Map.of();
    Map<JobId, TaskItems> items = Map.of();
    Map<JobId, RunOutputs> outputs = Map.of();
    Map<JobId, List<TimelineEvent>> events = Map.of();
    if (expand.contains(ListExpansion.TASKS)) {
      tasks = everyJob(runs, expansions.tasks(runs, ListExpansion.TASKS_PER_JOB), RunTasks.NONE);
    }
    if (expand.contains(ListExpansion.ITEMS)) {
      items = expansions.items(runs);
    }
    if (expand.contains(ListExpansion.OUTPUT)) {
      outputs =
          everyJob(
              runs,
              expansions.outputs(runs, ListExpansion.TASKS_PER_JOB, ListExpansion.OUTPUT_MAX_BYTES),
              RunOutputs.NONE);
    }
    if (expand.contains(ListExpansion.TIMELINE)) {
      events =
          everyJob(
              runs,
              expansions.latestEvents(runs.keySet(), ListExpansion.EVENTS_PER_JOB),
              List.of());
    }
    return new ExpandedPage(page, expand, tasks, items, outputs, events);
  }

  /** {@code read} with {@code none} for each listed job it has nothing for. */
  private static <T> Map<JobId, T> everyJob(Map<JobId, Integer> runs, Map<JobId, T> read, T none) {
    Map<JobId, T> all = new HashMap<>();
    runs.keySet().forEach(id -> all.put(id, read.getOrDefault(id, none)));
    return all;
  }

  @Override
  public Page<TimelineEvent> timeline(Caller caller, JobId id, int limit, int offset) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    if (offset < 0) {
      throw DomainException.invalid("offset", "must not be negative");
    }
    get(caller, id);
    return jobs.timeline(id, limit, offset);
  }

  @Override
  public List<TimelineEvent> latestEvents(Caller caller, JobId id, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw DomainException.invalid("limit", "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    get(caller, id);
    return jobs.latestEvents(id, limit);
  }

  @Override
  public Map<JobStatus, Long> countByStatus() {
    return jobs.countByStatus();
  }
}
