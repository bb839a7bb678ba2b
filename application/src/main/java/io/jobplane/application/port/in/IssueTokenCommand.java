package io.jobplane.application.port.in;

import io.jobplane.application.security.TokenGrant;
import io.jobplane.domain.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A request to issue an API token. The expiry is either a time ({@code expiresAt}) or a lifetime
 * counted from issue ({@code expiresIn}), at most one of them; none means the token never expires.
 * Whether the time lies in the future is checked when the token is issued, against the clock.
 */
public record IssueTokenCommand(TokenGrant grant, Instant expiresAt, Duration expiresIn) {

  /** Ten years: longer is "never", which is said by giving no expiry. */
  public static final Duration MAX_LIFETIME = Duration.ofDays(3650);

  public IssueTokenCommand {
    Objects.requireNonNull(grant, "grant");
    if (expiresAt != null && expiresIn != null) {
      throw DomainException.invalid(
          "expires_in_seconds", "give expires_at or expires_in_seconds, not both");
    }
    if (expiresIn != null && (expiresIn.isNegative() || expiresIn.isZero())) {
      throw DomainException.invalid("expires_in_seconds", "must be positive");
    }
    if (expiresIn != null && expiresIn.compareTo(MAX_LIFETIME) > 0) {
      throw DomainException.invalid(
          "expires_in_seconds", "must be at most " + MAX_LIFETIME.toSeconds() + " (ten years)");
    }
  }

  /** A token that never expires. */
  public static IssueTokenCommand forever(TokenGrant grant) {
    return new IssueTokenCommand(grant, null, null);
  }

  /** When a token issued at {@code now} expires; null for never. */
  public Instant expiryFrom(Instant now) {
    return expiresIn != null ? now.plus(expiresIn) : expiresAt;
  }
}
