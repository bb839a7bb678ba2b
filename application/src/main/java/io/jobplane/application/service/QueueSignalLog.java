package io.jobplane.application.service;

import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Signals numbered in order, and the number of the last one per bucket of queue names (and of the
 * last resync), so that a claim can tell whether its queues were signalled while it was being
 * parked. Buckets keep this bounded whatever the queue names; two queues sharing one only cost an
 * extra claim.
 */
final class QueueSignalLog {

  private static final int SIGNAL_BUCKETS = 1024;

  private final AtomicLong signalCount = new AtomicLong();
  private final AtomicLongArray lastSignal = new AtomicLongArray(SIGNAL_BUCKETS);
  private final AtomicLong lastResync = new AtomicLong();

  /** The number of the last signal; a claim reads it before its first attempt. */
  long last() {
    return signalCount.get();
  }

  /** Numbers a signal of these queues. */
  void signalled(Collection<String> queues) {
    long number = signalCount.incrementAndGet();
    for (String queue : queues) {
      lastSignal.accumulateAndGet(bucket(queue), number, Math::max);
    }
  }

  /** Numbers a resync, which may have hidden a signal of any queue. */
  void resynced() {
    lastResync.set(signalCount.incrementAndGet());
  }

  /** Whether any of these queues (or all, by a resync) was signalled after signal {@code since}. */
  boolean signalledSince(Collection<String> queues, long since) {
    if (lastResync.get() > since) {
      return true;
    }
    for (String queue : queues) {
      if (lastSignal.get(bucket(queue)) > since) {
        return true;
      }
    }
    return false;
  }

  private static int bucket(String queue) {
    return Math.floorMod(queue.hashCode(), SIGNAL_BUCKETS);
  }
}
