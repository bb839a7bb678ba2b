package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.ApiTokens;
import io.jobplane.application.security.ApiToken;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.TokenGrant;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Issued API tokens in {@code api_tokens}: metadata and the SHA-256 of each secret. */
public final class JdbiApiTokens implements ApiTokens {

  private static final String COLUMNS =
      "id, name, roles, projects, created_at, expires_at, last_used_at, revoked_at";

  private final Jdbi jdbi;

  public JdbiApiTokens(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public boolean insert(ApiToken token, byte[] sha256) {
    TokenGrant grant = token.grant();
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        "INSERT INTO api_tokens (id, name, token_sha256, roles, projects,"
                            + " created_at, expires_at)"
                            + " VALUES (:id, :name, :hash, CAST(:roles AS text[]), CAST(:projects AS text[]),"
                            + " :created_at, :expires_at)"
                            // a live token of the same name: nothing stored, the caller says 409
                            + " ON CONFLICT (name) WHERE revoked_at IS NULL DO NOTHING")
                    .bind("id", token.id())
                    .bind("name", grant.name())
                    .bind("hash", sha256)
                    .bind(
                        "roles",
                        grant.roles().stream().map(JobRows::name).sorted().toArray(String[]::new))
                    .bind(
                        "projects",
                        grant.projects() == null
                            ? null
                            : grant.projects().stream().sorted().toArray(String[]::new))
                    .bind("created_at", JobRows.ts(token.createdAt()))
                    .bind("expires_at", JobRows.ts(token.expiresAt()))
                    .execute()
                == 1);
  }

  @Override
  public Optional<ApiToken> findBySha256(byte[] sha256) {
    return findOne("token_sha256", sha256);
  }

  @Override
  public Optional<ApiToken> findById(UUID id) {
    return findOne("id", id);
  }

  /** The token whose (unique) {@code column} holds {@code value}; the column is one of ours. */
  private Optional<ApiToken> findOne(String column, Object value) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE " + column + " = :value")
                .bind("value", value)
                .map(JdbiApiTokens::token)
                .findOne());
  }

  @Override
  public List<ApiToken> list(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM api_tokens ORDER BY created_at DESC, id LIMIT :limit")
                .bind("limit", limit)
                .map(JdbiApiTokens::token)
                .list());
  }

  @Override
  public boolean revoke(UUID id, Instant at) {
    return jdbi.withHandle(
        h ->
            h.createUpdate(
                        // the first revocation's time stays: a second one is a no-op, not an error
                        "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, :at)"
                            + " WHERE id = :id")
                    .bind("id", id)
                    .bind("at", JobRows.ts(at))
                    .execute()
                == 1);
  }

  @Override
  public void recordUse(UUID id, Instant at) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE api_tokens SET last_used_at = :at"
                        + " WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :at)")
                .bind("id", id)
                .bind("at", JobRows.ts(at))
                .execute());
  }

  private static ApiToken token(ResultSet rs, StatementContext ctx) throws SQLException {
    Set<Role> roles =
        strings(rs.getArray("roles")).stream()
            .map(Role::valueOf)
            .collect(Collectors.toUnmodifiableSet());
    Array projects = rs.getArray("projects");
    return new ApiToken(
        rs.getObject("id", UUID.class),
        new TokenGrant(
            rs.getString("name"), roles, projects == null ? null : Set.copyOf(strings(projects))),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "expires_at"),
        JobRows.instant(rs, "last_used_at"),
        JobRows.instant(rs, "revoked_at"));
  }

  private static List<String> strings(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }
}
