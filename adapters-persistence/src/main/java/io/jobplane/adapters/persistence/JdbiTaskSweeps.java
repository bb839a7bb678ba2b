package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TaskSweeps;
import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** {@link TaskSweeps} on PostgreSQL: the jobs the sweeper must look at; locks nothing. */
final class JdbiTaskSweeps implements TaskSweeps {

  private final Jdbi jdbi;

  JdbiTaskSweeps(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public List<JobId> jobsToSweep(Instant now, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT job_id FROM ("
                        + " SELECT t.job_id FROM job_tasks t"
                        + "  WHERE t.status = 'RUNNING' AND t.lease_expires_at <= :now"
                        + " UNION SELECT t.job_id FROM job_tasks t"
                        + "  WHERE t.status = 'RUNNING' AND t.stop_deadline IS NOT NULL"
                        + "  AND t.stop_deadline <= :now"
                        + " UNION SELECT j.id FROM jobs j"
                        + "  WHERE j.status IN ('RUNNING', 'STOPPING') AND j.runtime = 'WORKER'"
                        + "  AND j.timeout_seconds IS NOT NULL"
                        + "  AND j.started_at + make_interval(secs => j.timeout_seconds) <= :now"
                        + ") due LIMIT :limit")
                .bind("now", JobRows.ts(now))
                .bind("limit", limit)
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }

  @Override
  public List<JobId> jobsWithLostWorkers(Instant since, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT DISTINCT t.job_id"
                        + JdbiWorkerPresence.LOST
                        + " AND t.job_claimable LIMIT :limit")
                .bind("since", JobRows.ts(since))
                .bind("limit", limit)
                .map((rs, ctx) -> new JobId(rs.getObject("job_id", UUID.class)))
                .list());
  }
}
