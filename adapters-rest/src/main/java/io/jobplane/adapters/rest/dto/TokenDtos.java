package io.jobplane.adapters.rest.dto;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Role;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The wire model of /api/v1/tokens. A secret appears in {@link IssuedToken} only, once. */
public final class TokenDtos {

  private TokenDtos() {}

  /** The body of POST /api/v1/tokens; unknown fields are refused with 400. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(
      name = "CreateTokenRequest",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  public record CreateTokenRequest(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              maxLength = 63,
              example = "etl-worker",
              description =
                  "who uses the token; recorded as created_by of the jobs it submits. Lower-case"
                      + " letters, digits, '-', '_' and '.'; unique among tokens not revoked")
          String name,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              example = "[\"worker\"]",
              description = "viewer, submitter, worker, metrics or admin; at least one")
          List<String> roles,
      @Schema(
              nullable = true,
              example = "[\"etl\"]",
              description = "projects the token sees, at most 100; absent or null: every project")
          List<String> projects,
      @Schema(
              nullable = true,
              format = "date-time",
              description = "when the token stops working; absent: never (or expires_in_seconds)")
          Instant expiresAt,
      @Schema(
              nullable = true,
              minimum = "1",
              maximum = "315360000",
              description = "lifetime from now, instead of expires_at")
          Long expiresInSeconds) {}

  /** A token's metadata: never its secret nor the hash of it. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "Token")
  public record TokenResponse(
      UUID id,
      String name,
      List<String> roles,
      @Schema(nullable = true, description = "null: every project") List<String> projects,
      Instant createdAt,
      @Schema(nullable = true, description = "null: never") Instant expiresAt,
      @Schema(nullable = true, description = "to the minute; null: never used") Instant lastUsedAt,
      @Schema(nullable = true) Instant revokedAt) {

    public static TokenResponse from(ApiToken t) {
      return new TokenResponse(
          t.id(),
          t.grant().name(),
          TokenDtos.roleNames(t.grant().roles()),
          sorted(t.grant().projects()),
          t.createdAt(),
          t.expiresAt(),
          t.lastUsedAt(),
          t.revokedAt());
    }
  }

  /** The answer to POST /api/v1/tokens: the secret, shown this once, and the metadata. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @Schema(name = "IssuedToken")
  public record IssuedToken(
      @Schema(
              description =
                  "the secret to send as 'Authorization: Bearer <token>'; shown only in this"
                      + " answer, the server keeps only its SHA-256")
          String token,
      UUID id,
      String name,
      List<String> roles,
      @Schema(nullable = true, description = "null: every project") List<String> projects,
      Instant createdAt,
      @Schema(nullable = true, description = "null: never") Instant expiresAt) {

    public static IssuedToken from(ApiToken t, String secret) {
      TokenResponse m = TokenResponse.from(t);
      return new IssuedToken(
          secret, m.id(), m.name(), m.roles(), m.projects(), m.createdAt(), m.expiresAt());
    }

    @Override
    public String toString() {
      return "IssuedToken[" + id + ", token=***]"; // never into a log by accident
    }
  }

  /** GET /api/v1/tokens: the newest first, at most 1,000. */
  @Schema(name = "TokenList")
  public record TokenList(List<TokenResponse> items) {}

  private static List<String> roleNames(Collection<Role> roles) {
    return roles.stream().map(r -> r.name().toLowerCase(Locale.ROOT)).sorted().toList();
  }

  private static List<String> sorted(Collection<String> values) {
    return values == null ? null : values.stream().sorted().toList();
  }
}
