package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.JobCredentials;
import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Run credential hashes in {@code job_credentials}; removed with their job. */
public final class JdbiJobCredentials implements JobCredentials {

  private final Jdbi jdbi;

  public JdbiJobCredentials(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void store(byte[] sha256, JobId jobId, int runId, Instant createdAt) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO job_credentials (token_sha256, job_id, run_id, created_at)"
                        + " VALUES (:hash, :job_id, :run_id, :created_at)")
                .bind("hash", sha256)
                .bind("job_id", jobId.value())
                .bind("run_id", runId)
                .bind("created_at", JobRows.ts(createdAt))
                .execute());
  }

  @Override
  public Optional<RunCredential> find(byte[] sha256) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT job_id, run_id FROM job_credentials WHERE token_sha256 = :hash")
                .bind("hash", sha256)
                .map(
                    (rs, ctx) ->
                        new RunCredential(
                            new JobId(rs.getObject("job_id", UUID.class)), rs.getInt("run_id")))
                .findOne());
  }
}
