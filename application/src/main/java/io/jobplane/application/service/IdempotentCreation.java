package io.jobplane.application.service;

import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.domain.DomainException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Idempotency-Key protocol of a create (a job, a graph): in one transaction, replay what the
 * key already created or create and remember the key; when a concurrent request remembered the same
 * key first, roll back and replay its result in a new transaction.
 */
final class IdempotentCreation {

  private IdempotentCreation() {}

  /** Thrown inside the transaction to roll back when a concurrent request took the same key. */
  static final class KeyTakenMeanwhile extends RuntimeException {
    KeyTakenMeanwhile() {
      super(null, null, false, false);
    }
  }

  /**
   * {@code create} throws {@link KeyTakenMeanwhile} when it could not remember the key; {@code
   * replay} is empty when the key created nothing yet.
   */
  static <T> T run(TransactionRunner tx, Supplier<Optional<T>> replay, Supplier<T> create) {
    try {
      return tx.inTransaction(() -> replay.get().orElseGet(create));
    } catch (KeyTakenMeanwhile e) {
      return tx.inTransaction(
          () ->
              replay
                  .get()
                  .orElseThrow(
                      () ->
                          DomainException.conflict(
                              "a concurrent request with the same Idempotency-Key is in flight")));
    }
  }

  /** The key was used before with another body. */
  static DomainException mismatch(String key) {
    return new DomainException(
        DomainException.Reason.IDEMPOTENCY_MISMATCH,
        "Idempotency-Key '" + key + "' was already used with a different request body");
  }
}
