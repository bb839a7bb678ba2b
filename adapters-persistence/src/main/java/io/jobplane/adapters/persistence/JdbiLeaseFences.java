package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link LeaseVerifier} on PostgreSQL: the reads that fence a worker's or a pod's report: the task
 * share-locked with its job's project, or the job's current run, so a lease cannot end before the
 * report it fences is stored.
 */
final class JdbiLeaseFences implements LeaseVerifier {

  private final Jdbi jdbi;

  JdbiLeaseFences(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<LeasedTask> lockTask(JobId jobId, int taskIndex) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT j.project, "
                        + JdbiTaskRepository.COLUMNS
                        + " FROM job_tasks t JOIN jobs j"
                        + " ON j.id = t.job_id AND j.run_id = t.run_id"
                        + " WHERE t.job_id = :job_id AND t.task_index = :task_index"
                        // inside the caller's transaction the lease cannot be revoked
                        // before the report it fences is stored
                        + " FOR SHARE OF t")
                .bind("job_id", jobId.value())
                .bind("task_index", taskIndex)
                .map(
                    (rs, ctx) ->
                        new LeasedTask(rs.getString("project"), JdbiTaskRepository.task(rs, "")))
                .findOne());
  }

  @Override
  public VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId) {
    if (taskIndex < 0 || taskIndex >= JobDefinition.MAX_PARALLELISM) {
      throw DomainException.invalid(
          "task_index", "must be between 0 and " + (JobDefinition.MAX_PARALLELISM - 1));
    }
    Map<String, Object> job =
        jdbi.withHandle(
                h ->
                    h.createQuery(
                            "SELECT run_id, status FROM jobs WHERE id = :id"
                                // the run cannot end before the report it fences is stored
                                + " FOR SHARE")
                        .bind("id", jobId.value())
                        .mapToMap()
                        .findOne())
            .orElseThrow(() -> DomainException.notFound("job " + jobId + " not found"));
    int current = ((Number) job.get("run_id")).intValue();
    JobStatus status = JobStatus.valueOf((String) job.get("status"));
    if (current != runId || status.isTerminal()) {
      throw DomainException.staleLease(
          "stale run credential: run "
              + runId
              + " of job "
              + jobId
              + " is over (current run "
              + current
              + ", "
              + status
              + ")");
    }
    return new VerifiedLease(jobId, taskIndex, runId, 0);
  }
}
