package io.jobplane.application.service;

import io.jobplane.application.port.in.ApiTokensUseCase;
import io.jobplane.application.port.in.IssueTokenCommand;
import io.jobplane.application.port.out.ApiTokens;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues API tokens and recognises them. A secret is 32 random bytes behind the prefix {@code
 * jpt_}; only its SHA-256 is stored. The prefix lets every other token skip the lookup, the way run
 * credentials ({@code jpr_}) do.
 */
public final class ApiTokensService implements ApiTokensUseCase {

  static final String PREFIX = "jpt_";
  public static final int LIST_LIMIT = 1000;

  private static final System.Logger log = System.getLogger(ApiTokensService.class.getName());
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ApiTokens tokens;
  private final Clock clock;

  public ApiTokensService(ApiTokens tokens, Clock clock) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public IssuedToken issue(Caller caller, IssueTokenCommand command) {
    AccessPolicy.requireAdmin(caller);
    Instant now = Clocks.now(clock);
    Instant expiresAt = command.expiryFrom(now);
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw DomainException.invalid("expires_at", "must be in the future");
    }
    if (expiresAt != null && expiresAt.isAfter(now.plus(IssueTokenCommand.MAX_LIFETIME))) {
      // also keeps the time within what the store can hold
      throw DomainException.invalid(
          "expires_at",
          "must be at most ten years ahead; give none for a token that never expires");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    ApiToken issued = new ApiToken(UUID.randomUUID(), command.grant(), now, expiresAt, null, null);
    if (!tokens.insert(issued, Sha256.of(token))) {
      throw DomainException.conflict(
          "a token named '"
              + command.grant().name()
              + "' exists and is not revoked; revoke it first or choose another name");
    }
    log.log(
        System.Logger.Level.INFO,
        "{0} issued token {1} ({2})",
        caller.name(),
        issued.id(),
        issued.grant().name());
    return new IssuedToken(issued, token);
  }

  @Override
  public List<ApiToken> list(Caller caller) {
    AccessPolicy.requireAdmin(caller);
    return tokens.list(LIST_LIMIT);
  }

  @Override
  public ApiToken get(Caller caller, UUID id) {
    AccessPolicy.requireAdmin(caller);
    return tokens.findById(id).orElseThrow(() -> notFound(id));
  }

  @Override
  public void revoke(Caller caller, UUID id) {
    AccessPolicy.requireAdmin(caller);
    if (!tokens.revoke(id, Clocks.now(clock))) {
      throw notFound(id);
    }
    log.log(System.Logger.Level.INFO, "{0} revoked token {1}", caller.name(), id);
  }

  @Override
  public Optional<Caller> authenticate(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty(); // not one of ours: skip the lookup
    }
    Optional<ApiToken> found = tokens.findBySha256(Sha256.of(token));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ApiToken t = found.get();
    Instant now = Clocks.now(clock);
    ApiToken.State state = t.stateAt(now);
    if (state != ApiToken.State.ACTIVE) {
      // the log may say why (the answer does not); the id names the token, never its secret
      log.log(
          System.Logger.Level.INFO,
          "refused token {0} ({1}): {2}",
          t.id(),
          t.grant().name(),
          state.name().toLowerCase(java.util.Locale.ROOT));
      return Optional.empty();
    }
    if (t.useWorthRecordingAt(now)) {
      // at most once a resolution per token (and per server), so reads do not become writes
      try {
        tokens.recordUse(t.id(), now);
      } catch (RuntimeException e) {
        // a bookkeeping write must not turn a valid token away; the next use records it
        log.log(System.Logger.Level.WARNING, "cannot record a use of token {0}: {1}", t.id(), e);
      }
    }
    return Optional.of(t.grant().caller());
  }

  private static DomainException notFound(UUID id) {
    return DomainException.notFound("token " + id + " not found");
  }
}
