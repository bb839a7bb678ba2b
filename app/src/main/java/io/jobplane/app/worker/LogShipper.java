package io.jobplane.app.worker;

import io.jobplane.app.worker.WorkerApi.ApiException;
import io.jobplane.app.worker.WorkerApi.LeaseLostException;
import io.jobplane.client.model.LogLineReport;
import io.jobplane.client.model.LogsReport;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task's log lines on their way to the server: buffered, and sent when {@value #BATCH_LINES} are
 * waiting, on every flush (every {@value #FLUSH_EVERY_MS} ms and once when the child has exited),
 * at most {@value #MAX_LINES_PER_CALL} lines a call. Logs are best effort: a call that fails drops
 * its lines with a warning. A lost lease ({@link LeaseLostException}) is not swallowed: it ends the
 * task. Once {@code closed} says so (the lease is lost or the end reported) nothing more is sent.
 */
final class LogShipper {

  private static final Logger log = LoggerFactory.getLogger(LogShipper.class);

  static final int BATCH_LINES = 200;
  static final long FLUSH_EVERY_MS = 500;
  static final int MAX_LINES_PER_CALL = 1000;
  static final int MAX_LINE_CHARS = 16_384;

  /** Where a batch goes: the task's {@code POST .../logs} call in the worker, a list in tests. */
  @FunctionalInterface
  interface Sink {
    void send(LogsReport batch);
  }

  private final Object task;
  private final Sink sink;
  private final BooleanSupplier closed;
  private final List<LogLineReport> pending = new ArrayList<>();
  // one flush at a time, so that batches leave in the order their lines came
  private final Object flushLock = new Object();

  /**
   * @param task what log messages name (the lease)
   * @param closed true once nothing more may be sent for the task
   */
  LogShipper(Object task, Sink sink, BooleanSupplier closed) {
    this.task = task;
    this.sink = sink;
    this.closed = closed;
  }

  /**
   * Buffers one line the child printed: stdout at INFO, stderr at ERROR when it starts so, WARN
   * otherwise; a full buffer is sent at once, on the caller's thread.
   */
  void add(boolean stdout, String line) {
    LogLineReport l =
        new LogLineReport()
                .timestamp(OffsetDateTime.now(ZoneOffset.UTC))
                .level(
                    stdout
                        ? LogLineReport.LevelEnum.INFO
                        : line.startsWith("ERROR")
                            ? LogLineReport.LevelEnum.ERROR
                            : LogLineReport.LevelEnum.WARN)
                .stream(stdout ? LogLineReport.StreamEnum.STDOUT : LogLineReport.StreamEnum.STDERR)
                .message(ChildText.truncate(line, MAX_LINE_CHARS));
    boolean full;
    synchronized (pending) {
      pending.add(l);
      full = pending.size() >= BATCH_LINES;
    }
    if (full) {
      flush();
    }
  }

  /** Flushes every {@value #FLUSH_EVERY_MS} ms; a lost lease goes to {@code onLeaseLost}. */
  ScheduledFuture<?> start(
      ScheduledExecutorService scheduler, Consumer<LeaseLostException> onLeaseLost) {
    return scheduler.scheduleWithFixedDelay(
        () -> flushQuietly(onLeaseLost), FLUSH_EVERY_MS, FLUSH_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void flushQuietly(Consumer<LeaseLostException> onLeaseLost) {
    try {
      flush();
    } catch (LeaseLostException e) {
      onLeaseLost.accept(e);
    } catch (RuntimeException e) {
      log.warn("{}: could not send logs: {}", task, e.getMessage());
    }
  }

  /** Sends the buffered lines; batches of at most {@value #MAX_LINES_PER_CALL}. */
  void flush() {
    synchronized (flushLock) {
      List<LogLineReport> batch;
      synchronized (pending) {
        batch = new ArrayList<>(pending);
        pending.clear();
      }
      for (int from = 0; from < batch.size() && !closed.getAsBoolean(); ) {
        int to = Math.min(batch.size(), from + MAX_LINES_PER_CALL);
        LogsReport body = new LogsReport().lines(new ArrayList<>(batch.subList(from, to)));
        try {
          sink.send(body);
        } catch (ApiException e) {
          log.warn("{}: dropped {} log lines: {}", task, to - from, e.getMessage());
        }
        from = to;
      }
    }
  }
}
