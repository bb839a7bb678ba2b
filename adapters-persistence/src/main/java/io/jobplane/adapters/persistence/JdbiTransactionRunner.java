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

  public JdbiTransactionRunner(Jdbi jdbi) {
    this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    Objects.requireNonNull(work, "work");
    return jdbi.inTransaction(h -> work.get());
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
