package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.domain.JobId;
import io.jobplane.domain.KubernetesPlacement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link WorkloadIntents} on PostgreSQL (table {@code workload_intents}, V25). A claim is one
 * statement: it locks due intents that are the oldest of their job ({@code FOR UPDATE SKIP LOCKED}:
 * rows another relay is claiming are passed over), counts an attempt and moves their due time to
 * the end of the lease, then commits, so no lock is held while the cluster is called. While a job's
 * oldest intent exists its later ones are not the oldest, so a job's calls never overtake each
 * other, across replicas too.
 */
public final class JdbiWorkloadIntents implements WorkloadIntents {

  private static final String CLAIM =
      "WITH due AS (SELECT i.id FROM workload_intents i WHERE i.next_attempt_at <= :now"
          + " <job>"
          + " AND NOT EXISTS (SELECT 1 FROM workload_intents e"
          + " WHERE e.job_id = i.job_id AND e.id < i.id)"
          + " ORDER BY i.id LIMIT :limit FOR UPDATE SKIP LOCKED)"
          + " UPDATE workload_intents w SET attempts = w.attempts + 1, next_attempt_at = :lease_end"
          + " FROM due WHERE w.id = due.id"
          + " RETURNING w.id, w.job_id, w.kind, w.namespace, w.resource_name, w.attempts";

  private final Jdbi jdbi;

  public JdbiWorkloadIntents(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public void add(JobId job, Kind kind, KubernetesPlacement where, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO workload_intents"
                        + " (job_id, kind, namespace, resource_name, created_at, next_attempt_at)"
                        + " VALUES (:job, :kind, :namespace, :name, :now, :now)")
                .bind("job", job.value())
                .bind("kind", kind.name())
                .bind("namespace", where.namespace())
                .bind("name", where.resourceName())
                .bind("now", JobRows.ts(now))
                .execute());
  }

  @Override
  public List<Intent> claim(Instant now, Duration lease, int limit) {
    return claim(null, now, lease, limit);
  }

  @Override
  public List<Intent> claim(JobId job, Instant now, Duration lease) {
    Objects.requireNonNull(job, "job");
    return claim(job, now, lease, 1);
  }

  private List<Intent> claim(JobId job, Instant now, Duration lease, int limit) {
    return jdbi.withHandle(
        h -> {
          var query =
              h.createQuery(CLAIM.replace("<job>", job == null ? "" : "AND i.job_id = :job"))
                  .bind("now", JobRows.ts(now))
                  .bind("lease_end", JobRows.ts(now.plus(lease)))
                  .bind("limit", limit);
          if (job != null) {
            query.bind("job", job.value());
          }
          // UPDATE ... RETURNING keeps no order: oldest first, as they were written
          return query.map((rs, ctx) -> intent(rs)).stream()
              .sorted(Comparator.comparingLong(Intent::id))
              .toList();
        });
  }

  @Override
  public void delivered(Intent intent) {
    jdbi.useHandle(
        h ->
            h.createUpdate("DELETE FROM workload_intents WHERE id = :id AND attempts = :attempts")
                .bind("id", intent.id())
                .bind("attempts", intent.attempts())
                .execute());
  }

  @Override
  public void retry(Intent intent, String error, Instant next) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE workload_intents SET next_attempt_at = :next, last_error = :error"
                        + " WHERE id = :id AND attempts = :attempts")
                .bind("id", intent.id())
                .bind("attempts", intent.attempts())
                .bind("error", error)
                .bind("next", JobRows.ts(next))
                .execute());
  }

  private static Intent intent(ResultSet rs) throws SQLException {
    return new Intent(
        rs.getLong("id"),
        new JobId(rs.getObject("job_id", UUID.class)),
        Kind.valueOf(rs.getString("kind")),
        rs.getString("namespace"),
        rs.getString("resource_name"),
        rs.getInt("attempts"));
  }
}
