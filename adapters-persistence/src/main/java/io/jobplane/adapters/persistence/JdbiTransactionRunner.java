package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.TransactionRunner;
import java.util.Objects;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs work in one database transaction (READ COMMITTED; the repositories' optimistic versions make
 * stronger isolation unnecessary). Jdbi keeps the open handle in a thread-local scope, so every
 * repository call the work makes on this thread joins the transaction, and nested {@code
 * inTransaction} calls simply run inside the outer one. Anything thrown rolls everything back and
 * propagates unchanged. After-commit actions ride on the thread's handle ({@code
 * Handle.afterCommit}), so they run once the outermost transaction has committed.
 */
public final class JdbiTransactionRunner implements TransactionRunner {

  private final Jdbi jdbi;

  /** How deep the calling thread is in {@link #inTransaction} (nested calls join the outer one). */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  public JdbiTransactionRunner(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    int[] d = depth.get();
    d[0]++;
    try {
      return jdbi.inTransaction(h -> work.get());
    } finally {
      d[0]--;
    }
  }

  @Override
  public boolean inProgress() {
    return depth.get()[0] > 0;
  }

  @Override
  public void afterCommit(Runnable action) {
    Objects.requireNonNull(action, "action");
    boolean deferred =
        jdbi.withHandle(
            h -> {
              if (!h.isInTransaction()) {
                return false;
              }
              h.afterCommit(action);
              return true;
            });
    if (!deferred) {
      action.run();
    }
  }
}
