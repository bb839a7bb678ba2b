package io.jobplane.adapters.rest.auth;

import io.jobplane.adapters.rest.ApiSettings;
import io.jobplane.adapters.rest.problem.Problems;
import io.jobplane.application.port.in.ApiTokensUseCase;
import io.jobplane.application.port.in.RunCredentialsUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Bearer token authentication for everything but the public paths. Runs before matching, so without
 * a token even the shape of the API stays hidden.
 *
 * <p>A request hashes its token once (SHA-256). The configured tokens (the tokens file, the
 * bootstrap source) are held in memory and compared in constant time on every request. Any other
 * token may be a run credential or an API token issued through /api/v1/tokens, which take a
 * database lookup; its answer, accepted or refused, is reused for a few seconds ({@link
 * ApiSettings#tokenCacheTtl()}), keyed by the token's hash, never the token. So an expired or
 * revoked token is refused within that window (at once on the server that revoked it, which forgets
 * its answers), and every refusal is the same 401: the answer never tells whether a token exists,
 * expired or was revoked.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public final class AuthenticationFilter implements ContainerRequestFilter {

  private static final String SCHEME = "Bearer";

  private final TokenRegistry tokens;
  private final RunCredentialsUseCase runCredentials;
  private final Function<String, Optional<Caller>> apiTokens;
  private final TokenVerificationCache verified;
  private final Set<String> publicPaths;

  public AuthenticationFilter(TokenRegistry tokens, boolean metricsPublic) {
    this(tokens, token -> Optional.empty(), metricsPublic);
  }

  /**
   * Also accepts the credentials the operator hands to the pods of Kubernetes job runs, caching
   * their lookups for {@link ApiSettings#DEFAULT_TOKEN_CACHE_TTL}.
   */
  public AuthenticationFilter(
      TokenRegistry tokens, RunCredentialsUseCase runCredentials, boolean metricsPublic) {
    this(
        tokens,
        runCredentials,
        metricsPublic,
        TokenVerificationCache.withTtl(ApiSettings.DEFAULT_TOKEN_CACHE_TTL));
  }

  /** Also accepts run credentials; public metrics and the cache ttl as the settings say. */
  public AuthenticationFilter(
      TokenRegistry tokens, RunCredentialsUseCase runCredentials, ApiSettings settings) {
    this(
        tokens,
        runCredentials,
        settings.metricsPublic(),
        TokenVerificationCache.withTtl(settings.tokenCacheTtl()));
  }

  /**
   * Also accepts run credentials and the API tokens issued through the API, caching lookups in
   * {@code verified} (which {@code DELETE /api/v1/tokens/{id}} empties).
   */
  public AuthenticationFilter(
      TokenRegistry tokens,
      RunCredentialsUseCase runCredentials,
      ApiTokensUseCase apiTokens,
      boolean metricsPublic,
      TokenVerificationCache verified) {
    this(tokens, runCredentials, apiTokens::authenticate, metricsPublic, verified);
  }

  AuthenticationFilter(
      TokenRegistry tokens,
      RunCredentialsUseCase runCredentials,
      boolean metricsPublic,
      TokenVerificationCache verified) {
    this(tokens, runCredentials, token -> Optional.empty(), metricsPublic, verified);
  }

  private AuthenticationFilter(
      TokenRegistry tokens,
      RunCredentialsUseCase runCredentials,
      Function<String, Optional<Caller>> apiTokens,
      boolean metricsPublic,
      TokenVerificationCache verified) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.runCredentials = Objects.requireNonNull(runCredentials, "runCredentials");
    this.apiTokens = Objects.requireNonNull(apiTokens, "apiTokens");
    this.verified = Objects.requireNonNull(verified, "verified");
    this.publicPaths =
        metricsPublic
            ? Set.of("healthz", "readyz", "openapi.json", "metrics")
            : Set.of("healthz", "readyz", "openapi.json");
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    if (publicPaths.contains(path)) {
      return;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || header.isBlank()) {
      reject(request, "missing bearer token: send 'Authorization: Bearer <token>'", false);
      return;
    }
    if (!header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
      reject(request, "the Authorization header must use the Bearer scheme", false);
      return;
    }
    String presented = header.substring(SCHEME.length() + 1).trim();
    Optional<Caller> caller = authenticate(presented);
    if (caller.isEmpty()) {
      reject(request, "the bearer token is not valid", true);
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerSecurityContext(caller.get(), secure));
  }

  /**
   * The caller a presented token stands for: a configured token, else a run credential or an issued
   * API token (each recognises its own prefix, so at most one of them reads the database).
   */
  Optional<Caller> authenticate(String presented) {
    if (presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] sha256 = Sha256.of(presented);
    Optional<Caller> caller = tokens.authenticateSha256(sha256);
    if (caller.isPresent()) {
      return caller;
    }
    return verified.verify(
        TokenFingerprint.of(sha256),
        () -> runCredentials.authenticate(presented).or(() -> apiTokens.apply(presented)));
  }

  private static void reject(ContainerRequestContext request, String detail, boolean invalid) {
    Response problem =
        Problems.response(
            401,
            "unauthorized",
            "Unauthorized",
            detail,
            request.getUriInfo().getRequestUri().getRawPath(),
            List.of());
    request.abortWith(
        Response.fromResponse(problem)
            .header(
                HttpHeaders.WWW_AUTHENTICATE,
                invalid
                    ? SCHEME + " realm=\"jobplane\", error=\"invalid_token\""
                    : SCHEME + " realm=\"jobplane\"")
            .build());
  }

  /** The security context of an authenticated request. */
  static final class CallerSecurityContext implements SecurityContext {
    private final CallerPrincipal principal;
    private final boolean secure;

    CallerSecurityContext(Caller caller, boolean secure) {
      this.principal = new CallerPrincipal(caller);
      this.secure = secure;
    }

    @Override
    public Principal getUserPrincipal() {
      return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
      try {
        return principal.caller().has(Role.valueOf(role.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return SCHEME;
    }
  }
}
