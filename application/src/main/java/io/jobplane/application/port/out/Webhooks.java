package io.jobplane.application.port.out;

import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookId;
import java.util.List;
import java.util.Optional;

/**
 * Where webhooks are kept, each with its signing secret sealed by {@link
 * io.jobplane.application.security.SecretCipher}: the store never sees the plain secret and never
 * hands the sealed one to anyone but the relay (through {@link WebhookOutbox}).
 */
public interface Webhooks {

  void insert(Webhook webhook, Sealed secret);

  /** Replaces url and filter, and the secret unless {@code secret} is null; false when missing. */
  boolean update(Webhook webhook, Sealed secret);

  /** The webhook, if it exists in {@code project}. */
  Optional<Webhook> find(String project, WebhookId id);

  /** The project's webhooks, oldest first, at most {@code limit}. */
  List<Webhook> list(String project, int limit);

  int count(String project);

  /** Deletes the webhook and its delivery log; false when it was not in {@code project}. */
  boolean delete(String project, WebhookId id);
}
