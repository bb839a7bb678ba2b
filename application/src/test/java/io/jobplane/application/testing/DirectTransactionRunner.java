package io.jobplane.application.testing;

import io.jobplane.application.port.out.TransactionRunner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs the work directly; there is nothing to roll back in memory. Counts the transactions. */
public final class DirectTransactionRunner implements TransactionRunner {

  private final AtomicInteger transactions = new AtomicInteger();

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    transactions.incrementAndGet();
    return work.get();
  }

  public int transactions() {
    return transactions.get();
  }
}
