package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TimelineFeed;
import io.jobplane.domain.FeedEvent;
import io.jobplane.domain.FeedJob;
import io.jobplane.domain.JobId;
import io.jobplane.domain.Labels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The timeline of all jobs by job_events.id. Only events written by transactions older than every
 * running one are returned (see V4__create_telemetry.sql), so a watcher that resumes after an id
 * never misses an event committed late with a lower id.
 */
public final class JdbiTimelineFeed implements TimelineFeed {

  /** Written by a transaction older than every running one (or before writers were recorded). */
  static final String SETTLED =
      "(e.writer_xid IS NULL OR e.writer_xid < pg_snapshot_xmin(pg_current_snapshot()))";

  private final Jdbi jdbi;

  public JdbiTimelineFeed(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public List<FeedEvent> eventsAfter(long afterId, JobId jobId, Set<String> projects, int limit) {
    if (limit <= 0 || (projects != null && projects.isEmpty())) {
      return List.of();
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.id AS event_id, e.job_id, j.project, j.type, j.queue, j.labels,"
                + " e.occurred_at, e.event_type,"
                + " e.from_status, e.to_status, e.source, e.message, e.error_reason,"
                + " e.error_message, e.run_id, e.attempt"
                + " FROM job_events e JOIN jobs j ON j.id = e.job_id"
                + " WHERE e.id > :after_id"
                + " AND "
                + SETTLED);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("after_id", afterId);
    if (jobId != null) {
      sql.append(" AND e.job_id = :job_id");
      params.put("job_id", jobId.value());
    }
    if (projects != null) {
      sql.append(" AND j.project = ANY(:projects)");
      params.put("projects", projects.toArray(String[]::new));
    }
    sql.append(" ORDER BY e.id LIMIT :limit");
    params.put("limit", limit);
    return jdbi.withHandle(
        h ->
            h.createQuery(sql.toString())
                .bindMap(params)
                .map(
                    (rs, ctx) ->
                        new FeedEvent(
                            rs.getLong("event_id"),
                            new JobId(rs.getObject("job_id", UUID.class)),
                            new FeedJob(
                                rs.getString("project"),
                                rs.getString("type"),
                                rs.getString("queue"),
                                new Labels(JobRows.labels(rs.getString("labels")))),
                            JobRows.EVENT.map(rs, ctx)))
                .list());
  }

  @Override
  public long settledHead() {
    // a backward scan of the primary key that stops at the first settled row
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT coalesce((SELECT e.id FROM job_events e WHERE "
                        + SETTLED
                        + " ORDER BY e.id DESC LIMIT 1), 0)")
                .mapTo(Long.class)
                .one());
  }

  @Override
  public long head() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT coalesce(max(id), 0) FROM job_events").mapTo(Long.class).one());
  }
}
