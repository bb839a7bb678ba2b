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
 * PostgreSQL {@code LISTEN} on the channels the V9 and V11 triggers notify: one connection of its
 * own per process (outside the pool, since it stays in LISTEN for the life of the process) and one
 * thread that waits on it, for every listener of the process (live streams, parked claims). The
 * connection opens with the first listener and closes with the last. A lost connection is reopened
 * with backoff, and listeners are told to resync, because notifications sent meanwhile are gone.
 */
public final class PostgresChangeSignals implements ChangeSignals {

  static final String TIMELINE = "jobplane_timeline";
  static final String LOGS = "jobplane_logs";
  static final String CLAIMABLE = "jobplane_claimable";
  private static final Logger log = LoggerFactory.getLogger(PostgresChangeSignals.class);
  private static final int WAIT_MILLIS = 10_000;

  private final DatabaseConfig config;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  // guarded by this
  private Thread thread;
  private AtomicReference<Connection> current;

  public PostgresChangeSignals(DatabaseConfig config) {
    this.config = Objects.requireNonNull(config, "config");
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
      try (Connection connection = Failsafe.with(reconnect).get(this::connect)) {
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

  private Connection connect() throws SQLException {
    Properties props = new Properties();
    if (config.user() != null) {
      props.setProperty("user", config.user());
    }
    if (config.password() != null) {
      props.setProperty("password", config.password());
    }
    props.setProperty("ApplicationName", "jobplane-listen");
    // a dead server must not leave the thread waiting forever on a half-open socket
    props.setProperty("tcpKeepAlive", "true");
    Connection connection = DriverManager.getConnection(config.jdbcUrl(), props);
    try (Statement s = connection.createStatement()) {
      s.execute("LISTEN " + TIMELINE);
      s.execute("LISTEN " + LOGS);
      s.execute("LISTEN " + CLAIMABLE);
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private void deliver(PGNotification[] batch) {
    boolean timeline = false;
    Set<JobId> logs = new HashSet<>();
    Set<String> queues = new HashSet<>();
    for (PGNotification n : batch) {
      if (TIMELINE.equals(n.getName())) {
        timeline = true;
      } else if (LOGS.equals(n.getName())) {
        try {
          logs.add(new JobId(UUID.fromString(n.getParameter())));
        } catch (IllegalArgumentException e) {
          log.debug("Ignoring a malformed log notification: {}", n.getParameter());
        }
      } else if (CLAIMABLE.equals(n.getName())) {
        queues.add(n.getParameter());
      }
    }
    if (timeline) {
      each(Listener::timelineChanged);
    }
    if (!logs.isEmpty()) {
      Set<JobId> jobs = Set.copyOf(logs);
      each(l -> l.logsChanged(jobs));
    }
    if (!queues.isEmpty()) {
      Set<String> claimable = Set.copyOf(queues);
      each(l -> l.workQueued(claimable));
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
