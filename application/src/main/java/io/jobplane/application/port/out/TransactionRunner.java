package io.jobplane.application.port.out;

import java.util.function.Supplier;

/** Runs work atomically: everything the repositories do inside commits or rolls back together. */
public interface TransactionRunner {

  <T> T inTransaction(Supplier<T> work);

  /**
   * Runs {@code action} once the transaction the caller is in has committed (after the outermost
   * one, when transactions nest); never when it rolls back. Outside a transaction it runs at once.
   */
  void afterCommit(Runnable action);
}
