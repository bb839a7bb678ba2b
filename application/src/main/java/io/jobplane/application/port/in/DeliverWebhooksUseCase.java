package io.jobplane.application.port.in;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The relay: sends the deliveries that are due and records how each attempt went. */
public interface DeliverWebhooksUseCase {

  /**
   * What one round did: deliveries claimed, acknowledged, failed attempts (retried or not), given
   * up; and when the next pending delivery is due, if any is.
   */
  record Round(
      int claimed, int delivered, int failedAttempts, int gaveUp, Optional<Instant> nextDue) {}

  /** Claims a batch of due deliveries, sends them and records the outcomes. */
  Round deliverDue();

  /**
   * Forgets the delivered and failed deliveries that settled more than {@code retention} ago, so
   * the delivery log (and the outbox it shares a table with) stays bounded; returns how many.
   */
  int forgetSettled(Duration retention);
}
