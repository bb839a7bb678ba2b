package io.jobplane.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that time alone starts (the sweeper, the schedule ticks): run on a daemon thread of its own
 * every interval after the previous run ended. A failing run is logged and the next one runs
 * anyway; closing waits up to 10 s for a run in progress.
 */
final class PeriodicTask implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

  private final String what;
  private final ScheduledExecutorService executor;

  private PeriodicTask(String what, ScheduledExecutorService executor) {
    this.what = what;
    this.executor = executor;
  }

  /** Starts {@code work} on thread {@code threadName}, first after one interval. */
  static PeriodicTask start(String threadName, String what, Duration interval, Runnable work) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    long millis = interval.toMillis();
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            work.run();
          } catch (RuntimeException e) {
            log.warn("{} failed; retrying in {} ms", what, millis, e);
          }
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
    return new PeriodicTask(what, executor);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("{} did not stop within 10 s", what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
