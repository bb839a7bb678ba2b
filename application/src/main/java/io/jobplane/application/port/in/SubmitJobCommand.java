package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobRuntime;
import java.util.Objects;

/**
 * A request to submit a job. {@code suspended} keeps the job out of the queue until resumed; {@code
 * idempotencyKey} (optional) makes a retried submit return the job the first one created; {@code
 * dependsOn} (optional) keeps it PENDING until the jobs it names have ended as required.
 */
public record SubmitJobCommand(
    Caller caller,
    JobDefinition definition,
    boolean suspended,
    String idempotencyKey,
    JobDependencies dependsOn) {

  public static final int MAX_KEY_LENGTH = 255;

  /** A job that waits for no other job. */
  public SubmitJobCommand(
      Caller caller, JobDefinition definition, boolean suspended, String idempotencyKey) {
    this(caller, definition, suspended, idempotencyKey, null);
  }

  public SubmitJobCommand {
    if (dependsOn != null && suspended) {
      throw DomainException.invalid(
          "suspended", "cannot be combined with depends_on: the job already waits for others");
    }
    if (dependsOn != null && definition.runtime() != JobRuntime.WORKER) {
      throw DomainException.invalid(
          "depends_on", "is supported for jobs of runtime worker only (for now)");
    }
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
