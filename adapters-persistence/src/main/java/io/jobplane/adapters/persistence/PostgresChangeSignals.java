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
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL {@code LISTEN} on the channels the V9 triggers notify: one connection of its own per
 * process (outside the pool, since it stays in LISTEN for the life of the process) and one thread
 * that waits on it. A lost connection is reopened with backoff, and listeners are told to resync,
 * because notifications sent meanwhile are gone.
 */
public final class PostgresChangeSignals implements ChangeSignals {

  static final String TIMELINE = "jobplane_timeline";
  static final String LOGS = "jobplane_logs";
  private static final Logger log = LoggerFactory.getLogger(PostgresChangeSignals.class);
  private static final int WAIT_MILLIS = 10_000;

  private final DatabaseConfig config;

  public PostgresChangeSignals(DatabaseConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public AutoCloseable listen(Listener listener) {
    Objects.requireNonNull(listener, "listener");
    AtomicReference<Connection> current = new AtomicReference<>();
    Thread thread = new Thread(() -> run(listener, current), "jobplane-listen");
    thread.setDaemon(true);
    thread.start();
    return () -> {
      thread.interrupt();
      Connection c = current.get();
      if (c != null) {
        c.close(); // wakes the thread out of its wait on the socket
      }
    };
  }

  private void run(Listener listener, AtomicReference<Connection> current) {
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
          listener.resync();
        }
        first = false;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!Thread.currentThread().isInterrupted()) {
          PGNotification[] batch = pg.getNotifications(WAIT_MILLIS);
          if (batch != null && batch.length > 0) {
            deliver(listener, batch);
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
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private static void deliver(Listener listener, PGNotification[] batch) {
    boolean timeline = false;
    Set<JobId> logs = new HashSet<>();
    for (PGNotification n : batch) {
      if (TIMELINE.equals(n.getName())) {
        timeline = true;
      } else if (LOGS.equals(n.getName())) {
        try {
          logs.add(new JobId(UUID.fromString(n.getParameter())));
        } catch (IllegalArgumentException e) {
          log.debug("Ignoring a malformed log notification: {}", n.getParameter());
        }
      }
    }
    if (timeline) {
      listener.timelineChanged();
    }
    if (!logs.isEmpty()) {
      listener.logsChanged(logs);
    }
  }
}
