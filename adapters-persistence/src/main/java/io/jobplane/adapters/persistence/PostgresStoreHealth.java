package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.StoreHealth;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Reachability as {@code SELECT 1}, answered within a short timeout even when the pool is exhausted
 * or the server hangs: the probe runs on its own thread, and while one probe is still out, later
 * checks wait for that one instead of piling up more.
 */
public final class PostgresStoreHealth implements StoreHealth, AutoCloseable {

  private final DataSource dataSource;
  private final Duration timeout;
  private final ExecutorService executor;
  private CompletableFuture<Boolean> inFlight;

  public PostgresStoreHealth(DataSource dataSource, Duration timeout) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jobplane-db-health");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public boolean isReachable() {
    CompletableFuture<Boolean> probe;
    synchronized (this) {
      if (executor.isShutdown()) {
        return false;
      }
      if (inFlight == null || inFlight.isDone()) {
        inFlight = CompletableFuture.supplyAsync(this::probe, executor);
      }
      probe = inFlight;
    }
    try {
      return probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean probe() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
      s.execute("SELECT 1");
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    executor.shutdownNow();
  }
}
