package io.jobplane.application.port.out;

import io.jobplane.domain.webhook.WebhookEvent;
import java.net.URI;

/** Posts one event to one receiver, signed with the webhook's secret, within a time limit. */
public interface WebhookSender {

  /**
   * The receiver's status code (null when none came back) and why the attempt failed, if it did.
   */
  record Outcome(Integer statusCode, String error) {
    public boolean delivered() {
      return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    public static Outcome answered(int statusCode) {
      return new Outcome(
          statusCode,
          statusCode >= 200 && statusCode < 300 ? null : "the receiver answered " + statusCode);
    }

    public static Outcome unanswered(String error) {
      return new Outcome(null, error);
    }
  }

  /** Never throws for a failing receiver: the failure is the outcome. */
  Outcome send(URI url, WebhookEvent event, String secret);
}
