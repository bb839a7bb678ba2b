package io.jobplane.domain.webhook;

/** Where a delivery of one event to one webhook stands. */
public enum DeliveryStatus {
  /** Not acknowledged yet: due now, in flight, or waiting out a backoff. */
  PENDING,
  /** The receiver answered 2xx. */
  DELIVERED,
  /** No 2xx within the retry window; a redelivery makes it pending again. */
  FAILED
}
