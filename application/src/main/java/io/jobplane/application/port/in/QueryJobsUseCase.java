package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import io.jobplane.domain.query.JobPage;
import io.jobplane.domain.query.JobQuery;
import io.jobplane.domain.query.Page;
import java.util.List;
import java.util.Map;

/** Reading jobs, limited to what the caller may see. */
public interface QueryJobsUseCase {

  JobSnapshot get(Caller caller, JobId id);

  JobPage list(Caller caller, JobQuery query);

  Page<TimelineEvent> timeline(Caller caller, JobId id, int limit, int offset);

  /** The newest events of a job, newest first (for verbose job details). */
  List<TimelineEvent> latestEvents(Caller caller, JobId id, int limit);

  /** Jobs per status over the whole store, for operational metrics. */
  Map<JobStatus, Long> countByStatus();
}
