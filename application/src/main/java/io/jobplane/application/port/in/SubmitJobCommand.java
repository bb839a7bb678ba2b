package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import java.util.Objects;

/**
 * A request to submit a job. {@code suspended} keeps the job out of the queue until resumed; {@code
 * idempotencyKey} (optional) makes a retried submit return the job the first one created.
 */
public record SubmitJobCommand(
    Caller caller, JobDefinition definition, boolean suspended, String idempotencyKey) {

  public static final int MAX_KEY_LENGTH = 255;

  public SubmitJobCommand {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(definition, "definition");
    if (idempotencyKey != null
        && (idempotencyKey.isEmpty()
            || idempotencyKey.length() > MAX_KEY_LENGTH
            || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
      throw DomainException.invalid(
          "Idempotency-Key", "must be 1 to " + MAX_KEY_LENGTH + " visible ASCII characters");
    }
  }
}
