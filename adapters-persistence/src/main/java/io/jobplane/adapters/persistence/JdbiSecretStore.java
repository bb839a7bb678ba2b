package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.security.SecretCipher.Sealed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * {@link SecretStore} on PostgreSQL (tables {@code secrets} and {@code secret_values}, V14). It
 * stores the sealed bytes it is given and never anything plain; every call is a fixed number of
 * statements whatever the number of secrets or keys.
 */
public final class JdbiSecretStore implements SecretStore {

  private static final String INFO =
      "SELECT s.project, s.name, s.created_at, s.updated_at, s.updated_by,"
          + " array_agg(v.key ORDER BY v.key) AS keys"
          + " FROM secrets s JOIN secret_values v ON v.project = s.project AND v.name = s.name";
  private static final String GROUP =
      " GROUP BY s.project, s.name, s.created_at, s.updated_at, s.updated_by ORDER BY s.name";

  private final Jdbi jdbi;

  public JdbiSecretStore(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public boolean put(SecretId id, Map<String, Sealed> values, String by, Instant now) {
    return jdbi.inTransaction(
        h -> {
          // xmax = 0 only on a row this statement inserted, not on one it updated
          boolean created =
              h.createQuery(
                      "INSERT INTO secrets (project, name, created_at, updated_at, updated_by)"
                          + " VALUES (:project, :name, :now, :now, :by)"
                          + " ON CONFLICT (project, name) DO UPDATE"
                          + " SET updated_at = :now, updated_by = :by"
                          + " RETURNING (xmax = 0) AS created")
                  .bind("project", id.project())
                  .bind("name", id.name())
                  .bind("now", JobRows.ts(now))
                  .bind("by", by)
                  .mapTo(Boolean.class)
                  .one();
          h.createUpdate("DELETE FROM secret_values WHERE project = :project AND name = :name")
              .bind("project", id.project())
              .bind("name", id.name())
              .execute();
          PreparedBatch batch =
              h.prepareBatch(
                  "INSERT INTO secret_values (project, name, key, key_id, nonce, ciphertext)"
                      + " VALUES (:project, :name, :key, :key_id, :nonce, :ciphertext)");
          values.forEach(
              (key, value) ->
                  batch
                      .bind("project", id.project())
                      .bind("name", id.name())
                      .bind("key", key)
                      .bind("key_id", value.keyId())
                      .bind("nonce", value.nonce())
                      .bind("ciphertext", value.ciphertext())
                      .add());
          batch.execute();
          return created;
        });
  }

  @Override
  public List<SecretInfo> list(String project, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INFO + " WHERE s.project = :project" + GROUP + " LIMIT :limit")
                .bind("project", project)
                .bind("limit", limit)
                .map((rs, ctx) -> info(rs))
                .list());
  }

  @Override
  public int count(String project) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM secrets WHERE project = :project")
                .bind("project", project)
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public List<SecretInfo> find(String project, Collection<String> names) {
    return jdbi.withHandle(
        h ->
            h.createQuery(INFO + " WHERE s.project = :project AND s.name = ANY(:names)" + GROUP)
                .bind("project", project)
                .bind("names", names.toArray(String[]::new))
                .map((rs, ctx) -> info(rs))
                .list());
  }

  @Override
  public boolean delete(SecretId id) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM secrets WHERE project = :project AND name = :name")
                    .bind("project", id.project())
                    .bind("name", id.name())
                    .execute()
                == 1);
  }

  @Override
  public Map<SecretId, Map<String, Sealed>> sealedValues(Collection<SecretId> ids) {
    if (ids.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(h -> sealed(h, ids));
  }

  private static Map<SecretId, Map<String, Sealed>> sealed(Handle h, Collection<SecretId> ids) {
    Map<SecretId, Map<String, Sealed>> out = new HashMap<>();
    h.createQuery(
            "SELECT v.project, v.name, v.key, v.key_id, v.nonce, v.ciphertext"
                + " FROM secret_values v"
                + " JOIN unnest(:projects, :names) AS w(project, name)"
                + " ON v.project = w.project AND v.name = w.name")
        .bind("projects", ids.stream().map(SecretId::project).toArray(String[]::new))
        .bind("names", ids.stream().map(SecretId::name).toArray(String[]::new))
        .map(
            (rs, ctx) -> {
              out.computeIfAbsent(
                      new SecretId(rs.getString("project"), rs.getString("name")),
                      k -> new TreeMap<>())
                  .put(
                      rs.getString("key"),
                      new Sealed(
                          rs.getString("key_id"), rs.getBytes("nonce"), rs.getBytes("ciphertext")));
              return 0;
            })
        .list();
    return out;
  }

  private static SecretInfo info(ResultSet rs) throws SQLException {
    return new SecretInfo(
        rs.getString("project"),
        rs.getString("name"),
        Arrays.asList((String[]) rs.getArray("keys").getArray()),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "updated_at"),
        rs.getString("updated_by"));
  }
}
