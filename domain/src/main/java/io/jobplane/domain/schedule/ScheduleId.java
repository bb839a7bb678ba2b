package io.jobplane.domain.schedule;

import io.jobplane.domain.DomainException;
import java.util.Objects;
import java.util.UUID;

public record ScheduleId(UUID value) {

  public ScheduleId {
    Objects.requireNonNull(value, "value");
  }

  public static ScheduleId random() {
    return new ScheduleId(UUID.randomUUID());
  }

  /** Parses the textual form a client sent; anything but a UUID is the client's mistake. */
  public static ScheduleId parse(String text) {
    if (text == null || text.length() != 36) {
      throw DomainException.invalid("id", "must be a UUID");
    }
    try {
      return new ScheduleId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("id", "must be a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
