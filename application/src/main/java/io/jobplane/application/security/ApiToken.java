package io.jobplane.application.security;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An API token issued through the API, as stored: its metadata, never its secret (only the SHA-256
 * of the secret is kept, by the store, beside this record).
 *
 * @param expiresAt null: never expires
 * @param lastUsedAt null: never used; updated at most once per {@link #LAST_USED_RESOLUTION}
 * @param revokedAt null: not revoked
 */
public record ApiToken(
    UUID id,
    TokenGrant grant,
    Instant createdAt,
    Instant expiresAt,
    Instant lastUsedAt,
    Instant revokedAt) {

  /**
   * How stale {@code last_used_at} may be. A token in use would otherwise turn every read into a
   * write; a minute tells an operator whether a token is alive just as well.
   */
  public static final java.time.Duration LAST_USED_RESOLUTION = java.time.Duration.ofMinutes(1);

  public ApiToken {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(grant, "grant");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /** Whether a presented token of this record is accepted, and if not, why (for the log only). */
  public enum State {
    ACTIVE,
    EXPIRED,
    REVOKED
  }

  public State stateAt(Instant now) {
    if (revokedAt != null) {
      return State.REVOKED;
    }
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return State.EXPIRED;
    }
    return State.ACTIVE;
  }

  /** Whether a use at {@code now} should be recorded: the last one is older than the resolution. */
  public boolean useWorthRecordingAt(Instant now) {
    return lastUsedAt == null || !lastUsedAt.plus(LAST_USED_RESOLUTION).isAfter(now);
  }
}
