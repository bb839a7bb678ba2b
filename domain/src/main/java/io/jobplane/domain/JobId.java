package io.jobplane.domain;

import java.util.Objects;
import java.util.UUID;

public record JobId(UUID value) {

  public JobId {
    Objects.requireNonNull(value, "value");
  }

  public static JobId random() {
    return new JobId(UUID.randomUUID());
  }

  /** Parses the textual form a client sent; anything but a UUID is the client's mistake. */
  public static JobId parse(String text) {
    if (text == null || text.length() != 36) {
      throw DomainException.invalid("id", "must be a UUID");
    }
    try {
      return new JobId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("id", "must be a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
