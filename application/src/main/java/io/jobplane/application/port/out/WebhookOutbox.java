package io.jobplane.application.port.out;

import io.jobplane.application.security.SecretCipher.Sealed;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The deliveries the store wrote in the same transaction as the job events they carry (V18), and
 * their progress. A claim takes due deliveries away from every other relay for {@code lease} (the
 * most a send may take), so replicas never send one concurrently; a relay that dies mid-send leaves
 * its deliveries due again when the lease ends. Results are recorded only by the claim that sent
 * them ({@code attempts} fences a stale one out).
 */
public interface WebhookOutbox {

  /** A claimed delivery: the event, where to send it and the sealed secret to sign it with. */
  record Claimed(
      WebhookEvent event,
      WebhookId webhook,
      URI url,
      Sealed secret,
      int attempts,
      Instant windowStart) {}

  /** A delivery as its log shows it. */
  record Logged(WebhookEvent event, Progress progress) {}

  /** How far a delivery got. */
  record Progress(
      DeliveryStatus status,
      int attempts,
      Integer lastResponseCode,
      String lastError,
      Instant nextAttemptAt,
      Instant updatedAt) {}

  /** One page of a webhook's log, newest first; {@code next} is null on the last page. */
  record LogPage(List<Logged> deliveries, Long next) {}

  /** Claims up to {@code limit} due deliveries, oldest first, skipping rows others hold. */
  List<Claimed> claim(Instant now, Duration lease, int limit);

  /** The claim's attempt was answered 2xx. */
  void delivered(UUID delivery, int attempts, int responseCode, Instant now);

  /** The attempt failed; try again at {@code nextAttemptAt}. */
  void retry(
      UUID delivery, int attempts, Integer responseCode, String error, Instant nextAttemptAt);

  /** The attempt failed and the retry window is over. */
  void failed(UUID delivery, int attempts, Integer responseCode, String error, Instant now);

  /** When the earliest pending delivery is due (or its claim's lease ends), if any is pending. */
  Optional<Instant> nextDue();

  /** A page of the webhook's deliveries, newest first, before position {@code before} if set. */
  LogPage log(WebhookId webhook, Long before, int limit);

  /**
   * Makes a delivered or failed delivery pending and due at {@code now} with a new retry window;
   * false when the webhook has no such delivery, or it is pending already (and perhaps being sent).
   */
  boolean redeliver(WebhookId webhook, UUID delivery, Instant now);

  /**
   * Deletes up to {@code limit} delivered or failed deliveries last changed before {@code before};
   * returns how many. Pending ones are never forgotten, however old.
   */
  int forgetSettled(Instant before, int limit);

  /** The delivery as logged, if the webhook has it. */
  Optional<Logged> find(WebhookId webhook, UUID delivery);
}
