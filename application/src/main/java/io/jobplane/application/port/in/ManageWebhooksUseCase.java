package io.jobplane.application.port.in;

import io.jobplane.application.port.out.WebhookOutbox.LogPage;
import io.jobplane.application.port.out.WebhookOutbox.Logged;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.Text;
import io.jobplane.domain.webhook.Webhook;
import io.jobplane.domain.webhook.WebhookFilter;
import io.jobplane.domain.webhook.WebhookId;
import io.jobplane.domain.webhook.WebhookSecret;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A project's webhooks and their delivery logs. Every operation needs the right to submit jobs in
 * the project (or admin); a project the caller cannot see answers as a missing webhook, whatever it
 * holds. Secrets go in and never come out.
 */
public interface ManageWebhooksUseCase {

  /** Most webhooks one project may have (and so most a listing answers). */
  int MAX_WEBHOOKS_PER_PROJECT = 50;

  /** Most deliveries one page of a log answers. */
  int MAX_LOG_PAGE = 100;

  /** A new webhook, or all of an existing one's settings; {@code secret} null keeps the secret. */
  record WebhookSpec(URI url, WebhookFilter filter, String secret) {
    public WebhookSpec {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(filter, "filter");
      if (secret != null) {
        WebhookSecret.validate(secret, "secret");
      }
    }

    @Override
    public String toString() {
      return "WebhookSpec[url=" + url + ", filter=" + filter + "]"; // never the secret
    }
  }

  /** Who asks, in which project, about which webhook (null for the project's collection). */
  record Target(Caller caller, String project, WebhookId webhook) {
    public Target {
      Objects.requireNonNull(caller, "caller");
      Text.identifier(project, "project");
    }
  }

  /**
   * Creates a webhook. {@code spec} is read only once the caller may write webhooks of the project
   * (so a project it cannot see answers 404 whatever the body), and may throw the body's errors.
   */
  Webhook create(Target target, Supplier<WebhookSpec> spec);

  List<Webhook> list(Target target);

  Webhook get(Target target);

  /** Replaces url, filter and (when the spec has one) secret; {@code spec} read as for create. */
  Webhook update(Target target, Supplier<WebhookSpec> spec);

  void delete(Target target);

  /** A page of the webhook's deliveries, newest first, before position {@code before} if set. */
  LogPage deliveries(Target target, Long before, int limit);

  /** Sends the delivery again as soon as possible, with the same event id; answers it as queued. */
  Logged redeliver(Target target, UUID delivery);
}
