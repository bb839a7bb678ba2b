package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.domain.JobId;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link QueuePositions} on PostgreSQL: a queued job's place in its queue, counted on the claim
 * index and capped (issue 10).
 */
public final class JdbiQueuePosition implements QueuePositions {

  private final Jdbi jdbi;

  JdbiQueuePosition(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  private static final String AHEAD =
      "SELECT 1 FROM job_tasks t WHERE t.status = 'QUEUED' AND t.job_claimable"
          + " AND t.queue = me.queue AND t.available_at <= :now AND ";

  /**
   * {@link #tasksAhead}'s statement (named parameters job_id, run_id, now, cap); public so that
   * bench/queue-position.sh can EXPLAIN exactly this text. It reads the partial index {@code
   * job_tasks_position_idx} (V8: queued tasks whose job lets them be claimed, in claim order, with
   * {@code available_at}): the claim keys of the run's queued task, then two range scans of that
   * queue's part of the index in one {@code UNION ALL} under one {@code LIMIT}: higher priority
   * first, and the same priority with an older (job_created_at, job_id) only while the first gave
   * fewer than {@code cap} rows. The keys come from the outer row, so they are index conditions
   * whatever plan is cached (keys from a CTE made the planner scan the queue from its head), and
   * the ORDER BY in index order leaves an index scan the only cheap plan. At most {@code cap} index
   * entries are read, and no table rows once the visibility map is current.
   */
  public static final String TASKS_AHEAD =
      "SELECT (SELECT count(*) FROM (("
          + AHEAD
          + "t.priority > me.priority"
          + " ORDER BY t.priority DESC, t.job_created_at, t.job_id)"
          + " UNION ALL ("
          + AHEAD
          + "t.priority = me.priority"
          + " AND (t.job_created_at, t.job_id) < (me.job_created_at, me.job_id)"
          + " ORDER BY t.job_created_at, t.job_id)"
          + " LIMIT :cap) counted)"
          + " FROM job_tasks me"
          + " WHERE me.job_id = :job_id AND me.run_id = :run_id AND me.status = 'QUEUED' LIMIT 1";

  @Override
  public long tasksAhead(JobId jobId, int runId, Instant now, long cap) {
    return jdbi.withHandle(
        h ->
            h.createQuery(TASKS_AHEAD)
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("now", JobRows.ts(now))
                .bind("cap", cap)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }
}
