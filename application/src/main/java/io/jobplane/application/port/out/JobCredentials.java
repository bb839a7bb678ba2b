package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.Optional;

/** Hashes of the credentials handed to the pods of a run; the tokens themselves are never kept. */
public interface JobCredentials {

  record RunCredential(JobId jobId, int runId) {}

  void store(byte[] sha256, JobId jobId, int runId, Instant createdAt);

  Optional<RunCredential> find(byte[] sha256);
}
