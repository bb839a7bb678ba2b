package io.jobplane.application.testing;

import io.jobplane.application.port.out.TransactionRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs the work directly; there is nothing to roll back in memory. Counts the transactions, and
 * runs the after-commit actions when the outermost work returns (not when it throws).
 */
public final class DirectTransactionRunner implements TransactionRunner {

  private final AtomicInteger transactions = new AtomicInteger();
  private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    transactions.incrementAndGet();
    if (afterCommit.get() != null) {
      return work.get();
    }
    List<Runnable> actions = new ArrayList<>();
    afterCommit.set(actions);
    T result;
    try {
      result = work.get();
    } finally {
      afterCommit.remove();
    }
    actions.forEach(Runnable::run);
    return result;
  }

  @Override
  public void afterCommit(Runnable action) {
    List<Runnable> actions = afterCommit.get();
    if (actions == null) {
      action.run();
    } else {
      actions.add(action);
    }
  }

  @Override
  public boolean inProgress() {
    return afterCommit.get() != null;
  }

  public int transactions() {
    return transactions.get();
  }
}
