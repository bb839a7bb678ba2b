package io.jobplane.application.service;

import io.jobplane.application.port.in.QueryJobsUseCase;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobFilter;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.Page;
import io.jobplane.domain.query.PageRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class QueryJobsService implements QueryJobsUseCase {

  private final JobRepository jobs;

  public QueryJobsService(JobRepository jobs) {
    this.jobs = jobs;
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
