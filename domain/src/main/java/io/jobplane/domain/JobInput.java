package io.jobplane.domain;

import java.nio.charset.StandardCharsets;

/**
 * The job's input as a JSON document, kept as text: the domain bounds its size, the REST adapter
 * guarantees it is well-formed JSON.
 */
public record JobInput(String json) {

  public static final int MAX_BYTES = 64 * 1024;
  public static final JobInput EMPTY = new JobInput("{}");

  public JobInput {
    if (json == null || json.isBlank()) {
      json = "{}";
    }
    if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw DomainException.invalid("input", "must be at most " + MAX_BYTES + " bytes of JSON");
    }
  }
}
