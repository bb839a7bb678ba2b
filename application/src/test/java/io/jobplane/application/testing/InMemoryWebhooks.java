package io.jobplane.application.testing;

import io.jobplane.application.port.out.Webhooks;
import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Webhooks in insertion order with their sealed secrets, which tests can look at. */
public final class InMemoryWebhooks implements Webhooks {

  private record Row(Webhook webhook, Sealed secret) {}

  private final Map<WebhookId, Row> rows = new LinkedHashMap<>();

  @Override
  public synchronized void insert(Webhook webhook, Sealed secret) {
    rows.put(webhook.id(), new Row(webhook, secret));
  }

  @Override
  public synchronized boolean update(Webhook webhook, Sealed secret) {
    Row before = rows.get(webhook.id());
    if (before == null || !before.webhook().project().equals(webhook.project())) {
      return false;
    }
    rows.put(webhook.id(), new Row(webhook, secret == null ? before.secret() : secret));
    return true;
  }

  @Override
  public synchronized Optional<Webhook> find(String project, WebhookId id) {
    return Optional.ofNullable(rows.get(id))
        .map(Row::webhook)
        .filter(w -> w.project().equals(project));
  }

  @Override
  public synchronized List<Webhook> list(String project, int limit) {
    return rows.values().stream()
        .map(Row::webhook)
        .filter(w -> w.project().equals(project))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized int count(String project) {
    return list(project, Integer.MAX_VALUE).size();
  }

  @Override
  public synchronized boolean delete(String project, WebhookId id) {
    if (find(project, id).isEmpty()) {
      return false;
    }
    rows.remove(id);
    return true;
  }

  /** The sealed secret as stored (tests check it is no plain text). */
  public synchronized Optional<Sealed> sealedSecret(WebhookId id) {
    return Optional.ofNullable(rows.get(id)).map(Row::secret);
  }
}
