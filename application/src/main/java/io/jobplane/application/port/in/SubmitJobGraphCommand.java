package io.jobplane.application.port.in;

import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.graph.JobGraphSpec;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A request to submit a graph of jobs. {@code project} is known before the body is read, so a
 * caller who may not submit there learns nothing from how the body is validated; {@code spec} reads
 * it. {@code idempotencyKey} (optional) makes a retried submit return the graph the first created.
 */
public record SubmitJobGraphCommand(
    Caller caller, String project, String idempotencyKey, Supplier<JobGraphSpec> spec) {

  public SubmitJobGraphCommand {
    Objects.requireNonNull(caller, "caller");
    project = project == null ? JobDefinition.DEFAULT_PROJECT : project;
    Objects.requireNonNull(spec, "spec");
    if (idempotencyKey != null
        && (idempotencyKey.isEmpty()
            || idempotencyKey.length() > SubmitJobCommand.MAX_KEY_LENGTH
            || !idempotencyKey.chars().allMatch(c -> c >= 0x21 && c <= 0x7e))) {
      throw DomainException.invalid(
          "Idempotency-Key",
          "must be 1 to " + SubmitJobCommand.MAX_KEY_LENGTH + " visible ASCII characters");
    }
  }
}
