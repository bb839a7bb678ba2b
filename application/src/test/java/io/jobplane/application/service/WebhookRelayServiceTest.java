package io.jobplane.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.out.WebhookSender;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.application.testing.InMemoryWebhookOutbox;
import io.jobplane.application.testing.MutableClock;
import io.jobplane.application.testing.WebhookTestData;
import io.jobplane.domain.webhook.DeliveryBackoff;
import io.jobplane.domain.webhook.DeliveryStatus;
import io.jobplane.domain.webhook.WebhookEvent;
import io.jobplane.domain.webhook.WebhookId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookRelayServiceTest {

  private static final String SECRET = "relay-secret-0123456789";
  private static final URI URL = URI.create("https://receiver.example.com/hook");

  private final MutableClock clock = MutableClock.fixed();
  private final SecretCipher cipher = new SecretCipher(SecretCipher.generateKey());
  private final InMemoryWebhookOutbox outbox = new InMemoryWebhookOutbox();
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private final WebhookId webhook = WebhookId.random();

  /** A receiver that answers each request with what {@code answer} says for its number. */
  private static final class Receiver implements WebhookSender {
    final List<UUID> received = new ArrayList<>();
    final List<String> secrets = new ArrayList<>();
    final IntFunction<Outcome> answer;

    Receiver(IntFunction<Outcome> answer) {
      this.answer = answer;
    }

    @Override
    public synchronized Outcome send(URI url, WebhookEvent event, String secret) {
      received.add(event.id());
      secrets.add(secret);
      return answer.apply(received.size());
    }
  }

  private WebhookRelayService relay(WebhookSender sender) {
    return new WebhookRelayService(
        outbox,
        sender,
        cipher,
        DeliveryBackoff.withBase(Duration.ofSeconds(10)),
        () -> 1.0,
        clock,
        WebhookRelayService.Limits.forTimeout(Duration.ofSeconds(5), 2),
        pool);
  }

  private WebhookEvent enqueue() {
    WebhookEvent e = WebhookTestData.aSucceededJob("etl", clock.instant());
    outbox.enqueue(webhook, URL, cipher.seal(SECRET, WebhooksService.aad("etl", webhook)), e);
    return e;
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void anAcknowledgedDeliveryIsSentOnceWithTheOpenedSecret() {
    WebhookEvent e = enqueue();
    Receiver receiver = new Receiver(n -> WebhookSender.Outcome.answered(204));

    var round = relay(receiver).deliverDue();

    assertThat(round.claimed()).isEqualTo(1);
    assertThat(round.delivered()).isEqualTo(1);
    assertThat(round.nextDue()).isEmpty();
    assertThat(receiver.received).containsExactly(e.id());
    assertThat(receiver.secrets).containsExactly(SECRET);
    assertThat(relay(receiver).deliverDue().claimed()).isZero();
    var logged = outbox.find(webhook, e.id()).orElseThrow();
    assertThat(logged.progress().status()).isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(logged.progress().lastResponseCode()).isEqualTo(204);
  }

  @Test
  void settledDeliveriesPastTheRetentionAreForgottenInBatchesAndPendingOnesNever() {
    int settled = WebhookRelayService.FORGET_BATCH + 5;
    for (int i = 0; i < settled; i++) {
      enqueue();
    }
    WebhookRelayService relay = relay(new Receiver(n -> WebhookSender.Outcome.answered(204)));
    while (relay.deliverDue().claimed() > 0) {
      // every delivery acknowledged, settled at this instant
    }
    clock.advance(Duration.ofHours(2));
    WebhookEvent pending = enqueue();

    assertThat(relay.forgetSettled(Duration.ofHours(3))).as("none settled 3 h ago").isZero();
    clock.advance(Duration.ofHours(2));
    assertThat(relay.forgetSettled(Duration.ofHours(3))).isEqualTo(settled);

    assertThat(outbox.find(webhook, pending.id())).isPresent();
    assertThat(outbox.log(webhook, null, 10).deliveries()).hasSize(1);
  }

  @Test
  void aFailingReceiverIsRetriedOnTheBackoffScheduleUntilItAnswers() {
    WebhookEvent e = enqueue();
    Receiver receiver =
        new Receiver(
            n ->
                n <= 3 ? WebhookSender.Outcome.answered(503) : WebhookSender.Outcome.answered(200));
    WebhookRelayService relay = relay(receiver);

    var first = relay.deliverDue();
    assertThat(first.failedAttempts()).isEqualTo(1);
    assertThat(first.nextDue()).contains(clock.instant().plusSeconds(10));
    assertThat(relay.deliverDue().claimed()).as("not due before the backoff ends").isZero();

    clock.advance(Duration.ofSeconds(10));
    relay.deliverDue();
    clock.advance(Duration.ofSeconds(20));
    relay.deliverDue();
    var logged = outbox.find(webhook, e.id()).orElseThrow();
    assertThat(logged.progress().lastResponseCode()).isEqualTo(503);
    assertThat(logged.progress().lastError()).isEqualTo("the receiver answered 503");
    clock.advance(Duration.ofSeconds(40));
    var last = relay.deliverDue();

    assertThat(last.delivered()).isEqualTo(1);
    assertThat(receiver.received).containsExactly(e.id(), e.id(), e.id(), e.id());
    assertThat(outbox.find(webhook, e.id()).orElseThrow().progress().attempts()).isEqualTo(4);
  }

  @Test
  void aDeliveryStillFailingAfterTheWindowIsGivenUp() {
    WebhookEvent e = enqueue();
    WebhookRelayService relay = relay(new Receiver(n -> WebhookSender.Outcome.unanswered("down")));
    int gaveUp = 0;
    for (int i = 0; i < 100 && gaveUp == 0; i++) {
      var round = relay.deliverDue();
      gaveUp = round.gaveUp();
      round.nextDue().ifPresent(clock::set);
    }

    assertThat(gaveUp).isEqualTo(1);
    assertThat(outbox.find(webhook, e.id()).orElseThrow().progress().status())
        .isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  void anErrorNeverKeepsTheSecret() {
    assertThat(WebhookRelayService.scrub("bad header " + SECRET + " rejected", SECRET))
        .isEqualTo("bad header [secret] rejected");
    assertThat(WebhookRelayService.scrub("x".repeat(2_000), SECRET)).hasSize(500);
  }

  @Test
  void deliveriesOfOneWebhookAreSentInTheOrderTheyWereQueued() {
    List<UUID> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(enqueue().id());
    }
    Receiver receiver = new Receiver(n -> WebhookSender.Outcome.answered(200));

    relay(receiver).deliverDue();

    assertThat(receiver.received).containsExactlyElementsOf(queued);
  }
}
