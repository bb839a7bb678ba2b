package io.jobplane.domain.webhook;

import io.jobplane.domain.Text;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * A project's subscription to its jobs' events: where to post them and which ones. The signing
 * secret is not part of it: it is written once, kept sealed by the store, and never read back.
 */
public record Webhook(
    WebhookId id,
    String project,
    URI url,
    WebhookFilter filter,
    Instant createdAt,
    Instant updatedAt,
    String updatedBy) {

  public Webhook {
    Objects.requireNonNull(id, "id");
    Text.identifier(project, "project");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(updatedBy, "updatedBy");
  }

  /** This webhook pointed elsewhere or filtering otherwise, changed by {@code by} at {@code at}. */
  public Webhook changed(URI newUrl, WebhookFilter newFilter, String by, Instant at) {
    return new Webhook(id, project, newUrl, newFilter, createdAt, at, by);
  }
}
