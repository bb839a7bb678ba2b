package io.jobplane.domain.webhook;

import io.jobplane.domain.DomainException;
import java.util.Objects;
import java.util.UUID;

/** The identity of one webhook of a project. */
public record WebhookId(UUID value) {

  public WebhookId {
    Objects.requireNonNull(value, "value");
  }

  public static WebhookId random() {
    return new WebhookId(UUID.randomUUID());
  }

  /** Parses what a client sent in {@code field}; anything but a UUID is the client's mistake. */
  public static WebhookId parse(String text, String field) {
    return new WebhookId(uuid(text, field));
  }

  /** A UUID a client sent in {@code field} (a webhook's or a delivery's id). */
  public static UUID uuid(String text, String field) {
    if (text == null || text.length() != 36) {
      throw DomainException.invalid(field, "must be a UUID");
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid(field, "must be a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
