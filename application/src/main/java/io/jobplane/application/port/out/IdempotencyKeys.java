package io.jobplane.application.port.out;

import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.Optional;

/** Remembers which job a client's Idempotency-Key created, per principal. */
public interface IdempotencyKeys {

  record Entry(String fingerprint, JobId jobId) {}

  Optional<Entry> find(String principal, String key);

  /**
   * Records the key; returns false (and records nothing) when another request recorded it first.
   */
  boolean remember(String principal, String key, String fingerprint, JobId jobId, Instant now);
}
