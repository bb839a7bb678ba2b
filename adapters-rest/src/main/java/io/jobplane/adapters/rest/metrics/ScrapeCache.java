package io.jobplane.adapters.rest.metrics;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from the store when Prometheus scrapes, at most once per {@code ttl} however often
 * it scrapes. Nothing is read between scrapes, so an idle server that nobody scrapes stays quiet.
 */
final class ScrapeCache<T> {

  private static final Logger LOG = LoggerFactory.getLogger(ScrapeCache.class);

  private final String what;
  private final Supplier<T> read;
  private final long ttlNanos;
  private final LongSupplier nanoTime;
  private T cached;
  private boolean asked;
  private long fetchedAt;

  /**
   * @param what what is read, for the warning when the store does not answer
   */
  ScrapeCache(String what, Supplier<T> read, Duration ttl, LongSupplier nanoTime) {
    this.what = what;
    this.read = read;
    this.ttlNanos = ttl.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The cached value, read again once it is {@code ttl} old; null when never read. */
  synchronized T get() {
    long now = nanoTime.getAsLong();
    if (!asked || now - fetchedAt >= ttlNanos) {
      // also after a failure, so a down store is not asked on every scrape
      asked = true;
      fetchedAt = now;
      try {
        cached = read.get();
      } catch (RuntimeException e) {
        // the last value stays: a gauge that keeps its value is better than a gap in an alert
        LOG.warn("cannot read {}: {}", what, e.toString());
      }
    }
    return cached;
  }
}
