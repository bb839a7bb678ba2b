package io.jobplane.application.port.in;

import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Caller;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API tokens kept in the store: issued, listed and revoked by an admin, and recognised when a
 * request presents one. The tokens file stays the bootstrap source; these come on top of it.
 */
public interface ApiTokensUseCase {

  /** A token just issued: the secret is in this answer and nowhere else, ever. */
  record IssuedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
      return "IssuedToken[" + token + ", secret=***]"; // never into a log by accident
    }
  }

  IssuedToken issue(Caller caller, IssueTokenCommand command);

  /** The most recently issued tokens first, at most {@code LIST_LIMIT} of them. */
  List<ApiToken> list(Caller caller);

  ApiToken get(Caller caller, UUID id);

  /** Revokes the token; revoking a revoked token again changes nothing and is no error. */
  void revoke(Caller caller, UUID id);

  /**
   * The caller a presented token stands for, when it is an issued token neither expired nor
   * revoked.
   */
  Optional<Caller> authenticate(String token);
}
