package io.jobplane.adapters.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the other server processes what this one committed (V15): one thread and one connection of
 * its own, which sends every signal noted since its last send in one statement. While a send is in
 * flight, new signals gather (each once) for the next, so the database-wide lock a NOTIFY takes at
 * commit is taken once per batch however many transactions committed. The thread starts with the
 * first signal.
 */
final class NotifySender {

  /** Opens the sender's connection (outside the pool: it must never wait for a pooled one). */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException;
  }

  private static final Logger log = LoggerFactory.getLogger(NotifySender.class);

  /** Distinct signals waiting to be sent; beyond this, new ones are dropped (logged once). */
  static final int OUTBOX_LIMIT = 10_000;

  private static final String SEND =
      "SELECT pg_notify(s.channel, s.payload)"
          + " FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS s(channel, payload)";

  private final Connector connector;
  private final Object lock = new Object();
  // guarded by lock
  private Set<String> outbox = new LinkedHashSet<>();
  private boolean overflowed;
  private Thread thread;
  private boolean closed;

  /** The backend pid of the sending connection: the listener skips what this process sent. */
  private volatile int backendPid = -1;

  NotifySender(Connector connector) {
    this.connector = connector;
  }

  int backendPid() {
    return backendPid;
  }

  /**
   * Queues signals (V15 notes: {@code t}, {@code l:<job>}, {@code c:<queue>}) for the next send.
   */
  void send(Collection<String> notes) {
    if (notes.isEmpty()) {
      return;
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      for (String note : notes) {
        if (outbox.size() < OUTBOX_LIMIT) {
          outbox.add(note);
        } else if (!overflowed) {
          overflowed = true;
          log.warn(
              "{} change signals wait to be sent to other server processes; dropping more until"
                  + " they are sent",
              OUTBOX_LIMIT);
        }
      }
      if (thread == null) {
        thread = new Thread(this::loop, "jobplane-notify");
        thread.setDaemon(true);
        thread.start();
      }
      lock.notifyAll();
    }
  }

  /** Stops the thread; signals not yet sent are dropped. */
  void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
  }

  private void loop() {
    Connection connection = null;
    try {
      while (true) {
        Set<String> batch;
        synchronized (lock) {
          while (outbox.isEmpty() && !closed) {
            lock.wait();
          }
          if (closed) {
            return;
          }
          batch = outbox;
          outbox = new LinkedHashSet<>();
          overflowed = false;
        }
        try {
          if (connection == null || connection.isClosed()) {
            connection = connector.open();
            backendPid = connection.unwrap(PGConnection.class).getBackendPID();
          }
          send(connection, batch);
        } catch (SQLException e) {
          log.warn(
              "Could not tell other server processes about {} store changes: {}",
              batch.size(),
              e.getMessage());
          closeQuietly(connection);
          connection = null;
          Thread.sleep(1_000); // an unreachable database: do not spin
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(connection);
    }
  }

  private static void send(Connection connection, Set<String> batch) throws SQLException {
    List<String> channels = new ArrayList<>(batch.size());
    List<String> payloads = new ArrayList<>(batch.size());
    for (String note : batch) {
      if (note.equals("t")) {
        channels.add(PostgresChangeSignals.TIMELINE);
        payloads.add("");
      } else if (note.startsWith("l:")) {
        channels.add(PostgresChangeSignals.LOGS);
        payloads.add(note.substring(2));
      } else if (note.equals("w")) {
        channels.add(PostgresChangeSignals.WEBHOOKS);
        payloads.add("");
      } else {
        channels.add(PostgresChangeSignals.CLAIMABLE);
        payloads.add(note.substring(2));
      }
    }
    try (PreparedStatement s = connection.prepareStatement(SEND)) {
      s.setArray(1, connection.createArrayOf("text", channels.toArray()));
      s.setArray(2, connection.createArrayOf("text", payloads.toArray()));
      s.execute();
    }
  }

  private static void closeQuietly(Connection connection) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      log.debug("Closing the notify connection: {}", e.getMessage());
    }
  }
}
