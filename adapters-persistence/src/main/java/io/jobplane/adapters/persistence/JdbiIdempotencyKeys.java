package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link IdempotencyKeys} on PostgreSQL. {@link #remember} inserts with ON CONFLICT DO NOTHING: of
 * two requests racing on one key the second waits on the primary key until the first commits and is
 * then told it lost. A key is removed with its job (foreign key ON DELETE CASCADE).
 */
public final class JdbiIdempotencyKeys implements IdempotencyKeys {

  private final Jdbi jdbi;

  public JdbiIdempotencyKeys(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public Optional<Entry> find(String principal, String key) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT fingerprint, job_id FROM idempotency_keys"
                        + " WHERE principal = :principal AND key = :key")
                .bind("principal", principal)
                .bind("key", key)
                .map(
                    (rs, ctx) ->
                        new Entry(
                            rs.getString("fingerprint"),
                            new JobId(rs.getObject("job_id", UUID.class))))
                .findOne());
  }

  @Override
  public boolean remember(
      String principal, String key, String fingerprint, JobId jobId, Instant now) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "INSERT INTO idempotency_keys (principal, key, fingerprint, job_id,"
                            + " created_at) VALUES (:principal, :key, :fingerprint, :job_id,"
                            + " :created_at) ON CONFLICT (principal, key) DO NOTHING")
                    .bind("principal", principal)
                    .bind("key", key)
                    .bind("fingerprint", fingerprint)
                    .bind("job_id", jobId.value())
                    .bind("created_at", JobRows.ts(now))
                    .execute()
                == 1);
  }
}
