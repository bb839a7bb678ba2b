package io.jobplane.application.port.out;

import java.util.function.Supplier;

/** Runs work atomically: everything the repositories do inside commits or rolls back together. */
public interface TransactionRunner {

  <T> T inTransaction(Supplier<T> work);
}
