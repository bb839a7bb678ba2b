package io.jobplane.application.service;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tasks run one at a time and in order on a shared executor, like a single-thread executor that
 * holds no thread while idle. A task that throws, a backlog past {@code maxPending} or a refusing
 * executor calls {@code onFailure} once and stops the work; later tasks are dropped.
 */
final class SerialWork {

  private final Executor executor;
  private final int maxPending;
  private final Runnable onFailure;
  private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();

  SerialWork(Executor executor, int maxPending, Runnable onFailure) {
    this.executor = executor;
    this.maxPending = maxPending;
    this.onFailure = onFailure;
  }

  void submit(Runnable task) {
    if (stopped.get()) {
      return;
    }
    if (pending.incrementAndGet() > maxPending) {
      fail();
      return;
    }
    work.add(task);
    schedule();
  }

  /** Drops what is queued; a task already running finishes. */
  void stop() {
    stopped.set(true);
    work.clear();
  }

  private void fail() {
    if (!stopped.get()) {
      onFailure.run();
    }
    stop();
  }

  private void schedule() {
    if (!work.isEmpty() && running.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false);
        fail();
      }
    }
  }

  private void drain() {
    try {
      Runnable task;
      while (!stopped.get() && (task = work.poll()) != null) {
        pending.decrementAndGet();
        try {
          task.run();
        } catch (RuntimeException e) {
          fail();
        }
      }
    } finally {
      running.set(false);
    }
    schedule();
  }
}
