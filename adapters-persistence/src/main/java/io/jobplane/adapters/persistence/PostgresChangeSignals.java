package io.jobplane.adapters.persistence;

import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import io.jobplane.application.port.out.ChangeSignals;
import io.jobplane.domain.JobId;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change signals of the store, within this process and between processes.
 *
 * <p>A transaction's signals (noted by the V15 triggers, read by {@link
 * SignalingTransactionHandler}) reach this process's listeners as soon as its commit returns, on
 * the committing thread, and the other server processes through PostgreSQL {@code NOTIFY}, sent in
 * batches by a {@link NotifySender}.
 *
 * <p>The other processes' signals arrive by {@code LISTEN}: one connection of its own per process
 * (outside the pool, since it stays in LISTEN for the life of the process) and one thread that
 * waits on it, for every listener of the process (live streams, parked claims). Notifications this
 * process sent itself are recognised by the sender's backend pid and skipped: their listeners have
 * had them already. The connection opens with the first listener and closes with the last. A lost
 * connection is reopened with backoff, and listeners are told to resync, because notifications sent
 * meanwhile are gone. Signals whose NOTIFY cannot be sent (the database is unreachable) are dropped
 * after a warning: the other processes' streams catch up at their next signal, and their parked
 * claims at the end of their wait.
 */
public final class PostgresChangeSignals implements ChangeSignals {

  static final String TIMELINE = "jobplane_timeline";
  static final String LOGS = "jobplane_logs";
  static final String CLAIMABLE = "jobplane_claimable";
  static final String WEBHOOKS = "jobplane_webhooks";
  private static final Logger log = LoggerFactory.getLogger(PostgresChangeSignals.class);
  private static final int WAIT_MILLIS = 10_000;

  private final DatabaseConfig config;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  // guarded by this
  private Thread thread;
  private AtomicReference<Connection> current;

  private final NotifySender sender;

  public PostgresChangeSignals(DatabaseConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.sender = new NotifySender(() -> connect("jobplane-notify"));
  }

  @Override
  public synchronized AutoCloseable listen(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    if (thread == null) {
      AtomicReference<Connection> connection = new AtomicReference<>();
      Thread t = new Thread(() -> run(connection), "jobplane-listen");
      t.setDaemon(true);
      t.start();
      thread = t;
      current = connection;
    }
    return () -> unlisten(listener);
  }

  private synchronized void unlisten(Listener listener) throws SQLException {
    if (!listeners.remove(listener) || !listeners.isEmpty() || thread == null) {
      return;
    }
    thread.interrupt();
    Connection c = current.get();
    thread = null;
    current = null;
    if (c != null) {
      c.close(); // wakes the thread out of its wait on the socket
    }
  }

  private void run(AtomicReference<Connection> current) {
    RetryPolicy<Connection> reconnect =
        RetryPolicy.<Connection>builder()
            .handle(SQLException.class)
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(10))
            .withMaxRetries(-1)
            .onFailedAttempt(
                e ->
                    log.warn(
                        "Cannot listen for store changes ({}); live streams wait for it",
                        e.getLastException().getMessage()))
            .build();
    boolean first = true;
    while (!Thread.currentThread().isInterrupted()) {
      try (Connection connection = Failsafe.with(reconnect).get(this::listening)) {
        current.set(connection);
        if (!first) {
          log.info("Listening for store changes again");
          each(Listener::resync);
        }
        first = false;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!Thread.currentThread().isInterrupted()) {
          PGNotification[] batch = pg.getNotifications(WAIT_MILLIS);
          if (batch != null && batch.length > 0) {
            deliver(batch);
          } else if (!connection.isValid(5)) {
            throw new SQLException("the listening connection is no longer valid");
          }
        }
      } catch (SQLException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        log.warn("Lost the connection that listens for store changes: {}", e.getMessage());
      } catch (dev.failsafe.FailsafeException e) {
        return; // interrupted while waiting to reconnect: closing
      }
    }
  }

  private Connection listening() throws SQLException {
    Connection connection = connect("jobplane-listen");
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + TIMELINE);
      s.execute("LISTEN " + LOGS);
      s.execute("LISTEN " + CLAIMABLE);
      s.execute("LISTEN " + WEBHOOKS);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private Connection connect(String applicationName) throws SQLException {
    Properties props = new Properties();
    if (config.user() != null) {
      props.setProperty("user", config.user());
    }
    if (config.password() != null) {
      props.setProperty("password", config.password());
    }
    props.setProperty("ApplicationName", applicationName);
    // a dead server must not leave the thread waiting forever on a half-open socket
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(config.jdbcUrl(), props);
  }

  private void deliver(PGNotification[] batch) {
    Signals heard = new Signals();
    int own = sender.backendPid();
    for (PGNotification n : batch) {
      if (n.getPID() == own) {
        continue;
      }
      if (TIMELINE.equals(n.getName())) {
        heard.timeline = true;
      } else if (LOGS.equals(n.getName())) {
        heard.log(n.getParameter());
      } else if (CLAIMABLE.equals(n.getName())) {
        heard.queues.add(n.getParameter());
      } else if (WEBHOOKS.equals(n.getName())) {
        heard.webhooks = true;
      }
    }
    deliver(heard);
  }

  private void deliver(Signals signals) {
    if (listeners.isEmpty()) {
      return;
    }
    if (signals.timeline) {
      each(Listener::timelineChanged);
    }
    if (!signals.logs.isEmpty()) {
      Set<JobId> jobs = Set.copyOf(signals.logs);
      each(l -> l.logsChanged(jobs));
    }
    if (!signals.queues.isEmpty()) {
      Set<String> claimable = Set.copyOf(signals.queues);
      each(l -> l.workQueued(claimable));
    }
    if (signals.webhooks) {
      each(Listener::webhooksQueued);
    }
  }

  /**
   * A transaction committed with these notes (V15: space-separated {@code t}, {@code l:<job>},
   * {@code c:<queue>}; V18: {@code w}): this process's listeners hear them now, the other
   * processes' with the sender's next NOTIFY.
   */
  void committed(String notes) {
    Signals signals = new Signals();
    List<String> tokens = new ArrayList<>();
    for (String note : notes.split(" ")) {
      if (note.equals("t")) {
        signals.timeline = true;
      } else if (note.startsWith("l:")) {
        signals.log(note.substring(2));
      } else if (note.startsWith("c:")) {
        signals.queues.add(note.substring(2));
      } else if (note.equals("w")) {
        signals.webhooks = true;
      } else {
        continue;
      }
      tokens.add(note);
    }
    deliver(signals);
    sender.send(tokens);
  }

  /** Stops the sender; signals not yet sent are dropped. */
  void close() {
    sender.close();
  }

  /** What one transaction, or one batch of notifications, signalled. */
  private static final class Signals {
    boolean timeline;
    boolean webhooks;
    final Set<JobId> logs = new HashSet<>();
    final Set<String> queues = new HashSet<>();

    void log(String jobId) {
      try {
        logs.add(new JobId(UUID.fromString(jobId)));
      } catch (IllegalArgumentException e) {
        PostgresChangeSignals.log.debug("Ignoring a malformed log signal: {}", jobId);
      }
    }
  }

  /** One listener that fails must not keep the others from hearing the store. */
  private void each(Consumer<Listener> signal) {
    for (Listener l : listeners) {
      try {
        signal.accept(l);
      } catch (RuntimeException e) {
        log.warn("A store change listener failed: {}", e.toString());
      }
    }
  }
}
