package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link LeaseVerifier} on the task table of the worker protocol ({@code job_tasks}, created by the
 * leasing migration): a report is current when the task of the job's current run is RUNNING, its
 * lease has not expired and its epoch is the reported one. The task row is share-locked, so inside
 * a transaction the lease cannot be revoked before the report is stored.
 */
public final class JdbiLeaseVerifier implements LeaseVerifier {

  private record TaskRow(int runId, String status, long epoch, boolean live) {}

  private final Jdbi jdbi;

  public JdbiLeaseVerifier(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public VerifiedLease requireCurrent(JobId jobId, int taskIndex, long epoch) {
    return jdbi.inTransaction(
        h -> {
          Optional<Integer> run =
              h.createQuery("SELECT run_id FROM jobs WHERE id = :job_id")
                  .bind("job_id", jobId.value())
                  .mapTo(Integer.class)
                  .findOne();
          if (run.isEmpty()) {
            throw DomainException.notFound("job " + jobId + " not found");
          }
          Optional<TaskRow> task =
              h.createQuery(
                      "SELECT run_id, status, epoch,"
                          + " (lease_expires_at IS NOT NULL AND lease_expires_at > now()) AS live"
                          + " FROM job_tasks WHERE job_id = :job_id AND run_id = :run_id"
                          + " AND task_index = :task_index FOR SHARE")
                  .bind("job_id", jobId.value())
                  .bind("run_id", run.get())
                  .bind("task_index", taskIndex)
                  .map(
                      (rs, ctx) ->
                          new TaskRow(
                              rs.getInt("run_id"),
                              rs.getString("status"),
                              rs.getLong("epoch"),
                              rs.getBoolean("live")))
                  .findOne();
          if (task.isEmpty()) {
            throw DomainException.notFound("task " + taskIndex + " of job " + jobId + " not found");
          }
          TaskRow t = task.get();
          if (!"RUNNING".equals(t.status()) || !t.live() || t.epoch() != epoch) {
            throw DomainException.conflict(
                "stale lease: task "
                    + taskIndex
                    + " of job "
                    + jobId
                    + " is not leased with epoch "
                    + epoch
                    + " (wrong epoch, expired, revoked or finished)");
          }
          return new VerifiedLease(jobId, taskIndex, t.runId(), epoch);
        });
  }
}
