package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.Webhooks;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.query.LabelSelector;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookFilter;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * {@link Webhooks} on PostgreSQL (table {@code webhooks}, V18). Besides the selector as written, it
 * stores the parsed requirements that V18's trigger evaluates, so the store never parses a selector
 * itself. The sealed secret goes in and is read only by {@link JdbiWebhookOutbox}.
 */
public final class JdbiWebhooks implements Webhooks {

  private static final String COLUMNS =
      "id, project, url, statuses, job_types, label_selector, created_at, updated_at, updated_by";

  private final Jdbi jdbi;

  public JdbiWebhooks(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public void insert(Webhook webhook, Sealed secret) {
    jdbi.useHandle(
        h ->
            bind(
                    h.createUpdate(
                        "INSERT INTO webhooks (id, project, url, statuses, job_types,"
                            + " label_selector, label_requirements, secret_key_id, secret_nonce,"
                            + " secret_ciphertext, created_at, updated_at, updated_by)"
                            + " VALUES (:id, :project, :url, :statuses, :job_types,"
                            + " :label_selector, CAST(:label_requirements AS jsonb), :key_id,"
                            + " :nonce, :ciphertext, :created_at, :updated_at, :updated_by)"),
                    webhook)
                .bind("key_id", secret.keyId())
                .bind("nonce", secret.nonce())
                .bind("ciphertext", secret.ciphertext())
                .bind("created_at", JobRows.ts(webhook.createdAt()))
                .execute());
  }

  @Override
  public boolean update(Webhook webhook, Sealed secret) {
    String setSecret =
        secret == null
            ? ""
            : ", secret_key_id = :key_id, secret_nonce = :nonce, secret_ciphertext = :ciphertext";
    return jdbi.withHandle(
        h -> {
          var update =
              bind(
                  h.createUpdate(
                      "UPDATE webhooks SET url = :url, statuses = :statuses,"
                          + " job_types = :job_types, label_selector = :label_selector,"
                          + " label_requirements = CAST(:label_requirements AS jsonb),"
                          + " updated_at = :updated_at, updated_by = :updated_by"
                          + setSecret
                          + " WHERE id = :id AND project = :project"),
                  webhook);
          if (secret != null) {
            update
                .bind("key_id", secret.keyId())
                .bind("nonce", secret.nonce())
                .bind("ciphertext", secret.ciphertext());
          }
          return update.execute() == 1;
        });
  }

  @Override
  public Optional<Webhook> find(String project, WebhookId id) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT " + COLUMNS + " FROM webhooks WHERE id = :id AND project = :project")
                .bind("id", id.value())
                .bind("project", project)
                .map((rs, ctx) -> webhook(rs))
                .findOne());
  }

  @Override
  public List<Webhook> list(String project, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT "
                        + COLUMNS
                        + " FROM webhooks WHERE project = :project ORDER BY created_at, id"
                        + " LIMIT :limit")
                .bind("project", project)
                .bind("limit", limit)
                .map((rs, ctx) -> webhook(rs))
                .list());
  }

  @Override
  public int count(String project) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT count(*) FROM webhooks WHERE project = :project")
                .bind("project", project)
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public boolean delete(String project, WebhookId id) {
    return jdbi.withHandle(
        h ->
            h.createUpdate("DELETE FROM webhooks WHERE id = :id AND project = :project")
                    .bind("id", id.value())
                    .bind("project", project)
                    .execute()
                == 1);
  }

  private static <S extends SqlStatement<S>> S bind(S statement, Webhook w) {
    WebhookFilter f = w.filter();
    return statement
        .bind("id", w.id().value())
        .bind("project", w.project())
        .bind("url", w.url().toString())
        .bind("statuses", f.sortedStatuses().stream().map(Enum::name).toArray(String[]::new))
        .bind("job_types", f.sortedTypes().toArray(String[]::new))
        .bind("label_selector", f.labels())
        .bind("label_requirements", requirements(f.selector()))
        .bind("updated_at", JobRows.ts(w.updatedAt()))
        .bind("updated_by", w.updatedBy());
  }

  /** The selector as V18's webhook_labels_match reads it. */
  static String requirements(LabelSelector selector) {
    return JobRows.json(
        selector.requirements().stream()
            .map(
                r -> {
                  Map<String, String> m = new LinkedHashMap<>();
                  m.put("key", r.key());
                  m.put("op", r.operator().name());
                  if (r.value() != null) {
                    m.put("value", r.value());
                  }
                  return m;
                })
            .toList());
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    Set<JobStatus> statuses =
        Arrays.stream((String[]) rs.getArray("statuses").getArray())
            .map(JobStatus::valueOf)
            .collect(Collectors.toSet());
    Set<String> types = Set.of((String[]) rs.getArray("job_types").getArray());
    return new Webhook(
        new WebhookId(rs.getObject("id", UUID.class)),
        rs.getString("project"),
        URI.create(rs.getString("url")),
        new WebhookFilter(statuses, types, rs.getString("label_selector")),
        JobRows.instant(rs, "created_at"),
        JobRows.instant(rs, "updated_at"),
        rs.getString("updated_by"));
  }
}
