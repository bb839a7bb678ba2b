package io.jobplane.application.port.out;

import io.jobplane.application.security.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Issued API tokens: their metadata and the SHA-256 of each secret, never the secret. */
public interface ApiTokens {

  /**
   * Stores a new token; false (and nothing stored) when a token of the same name is not revoked, so
   * two live tokens never share a caller name.
   */
  boolean insert(ApiToken token, byte[] sha256);

  Optional<ApiToken> findBySha256(byte[] sha256);

  Optional<ApiToken> findById(UUID id);

  /** The most recently created tokens first, at most {@code limit}. */
  List<ApiToken> list(int limit);

  /** Sets {@code revoked_at} unless it is set already; false when no such token exists. */
  boolean revoke(UUID id, Instant at);

  /** Records a use: moves {@code last_used_at} forward to {@code at}, never back. */
  void recordUse(UUID id, Instant at);
}
