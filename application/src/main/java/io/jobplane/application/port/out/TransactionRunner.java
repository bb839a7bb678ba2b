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

  /**
   * True while the calling thread runs work of {@link #inTransaction}: what it writes now commits
   * or rolls back with that work, so it must not be handed to another thread's transaction.
   */
  boolean inProgress();
}
