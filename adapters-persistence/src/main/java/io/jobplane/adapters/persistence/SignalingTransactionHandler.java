package io.jobplane.adapters.persistence;

import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;

/**
 * Hands what a transaction changed to the change signals once its commit is durable (V15).
 *
 * <p>The triggers note their signals in the transaction-local setting {@code jobplane.signals}
 * instead of calling {@code pg_notify}, whose commit-time lock made every notifying commit wait for
 * the previous one's WAL flush. Just before committing, this reads the notes (one short statement);
 * after the commit returns it passes them on, so a listener never hears of rows it cannot read yet,
 * and a rolled-back transaction signals nothing.
 */
final class SignalingTransactionHandler extends DelegatingTransactionHandler {

  static final String PENDING = "SELECT coalesce(current_setting('jobplane.signals', true), '')";

  private final Consumer<String> committed;

  SignalingTransactionHandler(TransactionHandler delegate, Consumer<String> committed) {
    super(delegate);
    this.committed = Objects.requireNonNull(committed, "committed");
  }

  /** Jdbi binds a handler to each handle; the notes are read through the bound one. */
  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    return new SignalingTransactionHandler(getDelegate().specialize(handle), committed);
  }

  @Override
  public void commit(Handle handle) {
    String notes = handle.createQuery(PENDING).mapTo(String.class).one();
    super.commit(handle);
    if (!notes.isEmpty()) {
      committed.accept(notes);
    }
  }
}
