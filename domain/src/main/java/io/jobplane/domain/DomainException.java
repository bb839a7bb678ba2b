package io.jobplane.domain;

import java.util.List;

/**
 * The one exception family of Jobplane. The {@link Reason} is what adapters translate: once into
 * HTTP problem details, once into custom resource status conditions.
 */
public class DomainException extends RuntimeException {

  public enum Reason {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ILLEGAL_TRANSITION,
    CONFLICT,
    /**
     * A worker's report on a lease it does not hold (any more): another epoch or lease token, a
     * task that is no longer running, an expired lease, a run that is over. The worker must abandon
     * the task; the answer never tells whoever does not hold the lease anything about it.
     */
    STALE_LEASE,
    IDEMPOTENCY_MISMATCH,
    FORBIDDEN,
    /** The caller holds as much of a limited resource as it may; it can retry later. */
    TOO_MANY_REQUESTS,
    /** The server holds as much of a limited resource as it can; any caller can retry later. */
    UNAVAILABLE
  }

  /** One offending field or parameter, so clients can point at exactly what to fix. */
  public record FieldError(String field, String message) {}

  private final Reason reason;
  private final List<FieldError> errors;

  public DomainException(Reason reason, String message) {
    this(reason, message, List.of());
  }

  public DomainException(Reason reason, String message, List<FieldError> errors) {
    super(message);
    this.reason = reason;
    this.errors = List.copyOf(errors);
  }

  public Reason reason() {
    return reason;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /**
   * The same refusal of a part of a larger body, every field named under {@code prefix} (for
   * example {@code job.} or {@code nodes[2].job.}).
   */
  public DomainException under(String prefix) {
    return new DomainException(
        reason,
        prefix + getMessage(),
        errors.stream().map(f -> new FieldError(prefix + f.field(), f.message())).toList());
  }

  public static DomainException invalid(String field, String message) {
    return new DomainException(
        Reason.INVALID_ARGUMENT, field + ": " + message, List.of(new FieldError(field, message)));
  }

  public static DomainException notFound(String message) {
    return new DomainException(Reason.NOT_FOUND, message);
  }

  public static DomainException conflict(String message) {
    return new DomainException(Reason.CONFLICT, message);
  }

  public static DomainException staleLease(String message) {
    return new DomainException(Reason.STALE_LEASE, message);
  }
}
