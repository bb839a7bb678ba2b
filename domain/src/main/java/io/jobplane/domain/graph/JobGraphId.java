package io.jobplane.domain.graph;

import io.jobplane.domain.DomainException;
import java.util.Objects;
import java.util.UUID;

/** The id of a job graph: the value of the {@code jobplane.io/graph} label of its jobs. */
public record JobGraphId(UUID value) {

  public JobGraphId {
    Objects.requireNonNull(value, "value");
  }

  public static JobGraphId random() {
    return new JobGraphId(UUID.randomUUID());
  }

  /** Parses the textual form a client sent; anything but a UUID is the client's mistake. */
  public static JobGraphId parse(String text) {
    if (text == null || text.length() != 36) {
      throw DomainException.invalid("id", "must be a UUID");
    }
    try {
      return new JobGraphId(UUID.fromString(text));
    } catch (IllegalArgumentException e) {
      throw DomainException.invalid("id", "must be a UUID");
    }
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
