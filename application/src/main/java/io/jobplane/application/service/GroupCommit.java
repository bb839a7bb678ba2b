package io.jobplane.application.service;

import io.jobplane.application.port.out.TransactionRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Writes that arrive while others commit, stored together in one transaction. A submit's SQL costs
 * the database about five times a single-row insert (the job's indexes, its count slot, its events
 * and its task); a few committer threads that each take what has queued up meanwhile pay the
 * statement and commit overhead once per batch instead of once per job. Nobody waits for a batch to
 * fill: a committer takes what is there, so a lone write goes at once.
 *
 * <p>Each caller learns one of three outcomes: stored (with its result); not stored, because its
 * batch rolled back before committing or its batch's work left it out (the caller then writes it
 * alone, where its own error, if any, is its own answer); or unknown, when the commit itself failed
 * after the work was done, where writing it again could store it twice (the exception is thrown).
 *
 * @param <T> what is written
 * @param <R> what a stored item becomes
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  /** What one batch does inside its transaction: per item, in order, its result or none. */
  @FunctionalInterface
  public interface BatchWork<T, R> {
    List<Optional<R>> store(List<T> batch);
  }

  private record Pending<T, R>(T item, CompletableFuture<Optional<R>> result) {}

  private static final long IDLE_CHECK_MILLIS = 200;

  private final TransactionRunner tx;
  private final BatchWork<T, R> work;
  private final int maxBatch;
  private final BlockingQueue<Pending<T, R>> queue = new LinkedBlockingQueue<>();
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param committers how many batches may commit at once (each holds one database connection)
   * @param maxBatch how many items one transaction takes at most
   */
  public GroupCommit(
      String name, int committers, int maxBatch, TransactionRunner tx, BatchWork<T, R> work) {
    if (committers < 1 || maxBatch < 1) {
      throw new IllegalArgumentException("committers and maxBatch must be at least 1");
    }
    this.tx = Objects.requireNonNull(tx, "tx");
    this.work = Objects.requireNonNull(work, "work");
    this.maxBatch = maxBatch;
    ThreadFactory threads = DaemonThreads.named(name);
    for (int i = 0; i < committers; i++) {
      Thread t = threads.newThread(this::commitWhatArrives);
      this.committers.add(t);
      t.start();
    }
  }

  /**
   * Stores the item with whatever else is waiting; blocks until its batch is done. Empty when it
   * was not stored and should be written alone.
   *
   * @throws RuntimeException when its batch's commit failed and whether it was stored is unknown
   */
  public Optional<R> write(T item) {
    if (closed) {
      return Optional.empty();
    }
    Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
    queue.add(pending);
    if (closed && queue.remove(pending)) {
      return Optional.empty();
    }
    try {
      // uninterruptible: a caller that stopped waiting could not tell whether its item is stored
      return pending.result().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Batches already queued still commit; later writes are left to their callers. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : committers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void commitWhatArrives() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    while (true) {
      Pending<T, R> first;
      try {
        first = queue.poll(IDLE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        if (closed) {
          return;
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - 1);
      commit(batch);
      batch.clear();
    }
  }

  private void commit(List<Pending<T, R>> batch) {
    List<T> items = batch.stream().map(Pending::item).toList();
    boolean[] workDone = {false};
    List<Optional<R>> results;
    try {
      results =
          tx.inTransaction(
              () -> {
                List<Optional<R>> stored = work.store(items);
                if (stored.size() != items.size()) {
                  throw new IllegalStateException(
                      "a batch of " + items.size() + " gave " + stored.size() + " results");
                }
                workDone[0] = true;
                return stored;
              });
    } catch (Throwable t) {
      for (Pending<T, R> p : batch) {
        if (workDone[0]) {
          p.result().completeExceptionally(t);
        } else {
          p.result().complete(Optional.empty());
        }
      }
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).result().complete(results.get(i));
    }
  }
}
