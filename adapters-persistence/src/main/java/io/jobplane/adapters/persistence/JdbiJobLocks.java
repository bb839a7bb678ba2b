package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobLocks;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.TaskState;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link JobLocks} on PostgreSQL: {@code SELECT ... FOR UPDATE} of job rows, in id order, joining
 * the transaction a {@link JdbiTransactionRunner} has open on the current thread.
 */
final class JdbiJobLocks implements JobLocks {

  private final Jdbi jdbi;

  JdbiJobLocks(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<JobSnapshot> lockJob(JobId id, boolean skipLocked) {
    return jdbi.inTransaction(h -> JobDao.lock(h, id, skipLocked));
  }

  @Override
  public List<JobSnapshot> lockJobs(Collection<JobId> ids, boolean skipLocked) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.inTransaction(h -> JobDao.lock(h, ids, skipLocked));
  }

  /**
   * One round trip, two statements: the jobs locked in id order (as {@link JobDao#lock(Handle,
   * Collection, boolean)} does), then the tasks of their current runs. Not one statement joining
   * both: a statement reads with the snapshot it started with, so tasks read in the statement that
   * waited for a job's lock would miss what the lock's previous holder committed; the second
   * statement starts after the lock is held and sees all of it.
   */
  @Override
  public List<LockedRun> lockRuns(Collection<JobId> ids, boolean skipLocked) {
    if (ids.isEmpty()) {
      return List.of();
    }
    String sql =
        "SELECT "
            + JobDao.columns()
            + " FROM jobs WHERE id = ANY(:ids) ORDER BY id FOR UPDATE"
            + (skipLocked ? " SKIP LOCKED" : "")
            + "; SELECT "
            + JdbiTaskRepository.COLUMNS
            + " FROM job_tasks t JOIN jobs j ON j.id = t.job_id AND j.run_id = t.run_id"
            + " WHERE j.id = ANY(:ids) ORDER BY t.job_id, t.task_index";
    return jdbi.inTransaction(
        h ->
            h.createQuery(sql)
                .bind("ids", ids.stream().map(JobId::value).distinct().toArray(UUID[]::new))
                .scanResultSet(
                    (results, ctx) -> {
                      Map<JobId, JobSnapshot> jobs = new LinkedHashMap<>();
                      try (ResultSet rs = results.get()) {
                        while (rs.next()) {
                          JobSnapshot job = JobRows.JOB.map(rs, ctx);
                          jobs.put(job.id(), job);
                        }
                      }
                      Map<JobId, List<TaskState>> tasksOf = new HashMap<>();
                      if (ctx.getStatement().getMoreResults()) {
                        try (ResultSet rs = ctx.getStatement().getResultSet()) {
                          while (rs.next()) {
                            TaskState t = JdbiTaskRepository.task(rs, "");
                            // tasks of jobs skipped as busy are read too, and dropped here
                            if (jobs.containsKey(t.jobId())) {
                              tasksOf.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t);
                            }
                          }
                        }
                      }
                      List<LockedRun> runs = new ArrayList<>(jobs.size());
                      jobs.forEach(
                          (id, job) ->
                              runs.add(new LockedRun(job, tasksOf.getOrDefault(id, List.of()))));
                      return runs;
                    }));
  }
}
