package io.jobplane.adapters.rest.auth;

import io.jobplane.application.security.Caller;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Remembers for a few seconds what a token lookup answered, accepted or refused, so a pod that
 * reports many times a second costs one database read per window instead of one per request.
 * Entries are keyed by the token's SHA-256 and expire {@code ttl} after the lookup: a revoked
 * credential (its job deleted) stops working within that window, and a refused token is looked up
 * again after it.
 *
 * <p>A plain {@link ConcurrentHashMap} with expiry times and a size cap rather than a caching
 * library: none is on this module's classpath, and the policy needed is small. When the map is full
 * the expired entries are dropped; if every entry is still fresh, the answer is simply not cached
 * (the request pays its lookup). So a flood of made-up tokens can fill the cache but not grow it
 * (concurrent inserts may overshoot the cap by the number of request threads), and cannot make
 * requests scan it more than a few times per ttl.
 */
public final class TokenVerificationCache {

  static final Duration DEFAULT_TTL = Duration.ofSeconds(5);
  static final int DEFAULT_MAX_ENTRIES = 10_000;

  private record Verdict(Optional<Caller> caller, long expiresAt) {}

  private final ConcurrentHashMap<TokenFingerprint, Verdict> verdicts;
  private final long ttlNanos;
  private final int maxEntries;
  private final LongSupplier nanoTime;

  /** A full cache is not scanned again before this time (System.nanoTime scale). */
  private volatile long noScanBefore;

  /**
   * @param ttl how long an answer is reused; zero turns caching off
   * @param maxEntries the most answers held at once
   * @param nanoTime the clock, {@code System::nanoTime} outside tests
   */
  TokenVerificationCache(Duration ttl, int maxEntries, LongSupplier nanoTime) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, was " + ttl);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive, was " + maxEntries);
    }
    this.ttlNanos = ttl.toNanos();
    this.maxEntries = maxEntries;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.verdicts = new ConcurrentHashMap<>(Math.min(maxEntries, 256));
    this.noScanBefore = nanoTime.getAsLong();
  }

  public static TokenVerificationCache withTtl(Duration ttl) {
    return new TokenVerificationCache(ttl, DEFAULT_MAX_ENTRIES, System::nanoTime);
  }

  /**
   * The answer remembered for the token, else the lookup's answer (remembered for the next
   * requests). A lookup that throws is not remembered. Two requests that miss at once may both look
   * up; that is cheaper than making one wait for the other.
   */
  Optional<Caller> verify(TokenFingerprint token, Supplier<Optional<Caller>> lookup) {
    if (ttlNanos == 0) {
      return lookup.get();
    }
    Verdict known = verdicts.get(token);
    if (known != null) {
      if (nanoTime.getAsLong() - known.expiresAt() < 0) {
        return known.caller();
      }
      verdicts.remove(token, known);
    }
    Optional<Caller> answer = lookup.get();
    remember(token, answer, nanoTime.getAsLong());
    return answer;
  }

  private void remember(TokenFingerprint token, Optional<Caller> answer, long now) {
    if (verdicts.size() >= maxEntries && !makeRoom(now)) {
      return;
    }
    verdicts.put(token, new Verdict(answer, now + ttlNanos));
  }

  /**
   * Drops the expired entries; true when there is room afterwards. A scan also notes when the next
   * one can free something: not before the soonest expiry it saw, and not before a quarter of the
   * ttl has passed, so a cache kept full by a flood of made-up tokens is scanned a few times per
   * ttl, not once per request.
   */
  private boolean makeRoom(long now) {
    if (now - noScanBefore < 0) {
      return false;
    }
    synchronized (this) {
      if (now - noScanBefore < 0) {
        return verdicts.size() < maxEntries; // another request scanned meanwhile
      }
      long soonest = now + ttlNanos;
      for (Iterator<Verdict> it = verdicts.values().iterator(); it.hasNext(); ) {
        long expiresAt = it.next().expiresAt();
        if (now - expiresAt >= 0) {
          it.remove();
        } else if (expiresAt - soonest < 0) {
          soonest = expiresAt;
        }
      }
      long quarter = now + ttlNanos / 4;
      noScanBefore = soonest - quarter > 0 ? soonest : quarter;
      return verdicts.size() < maxEntries;
    }
  }

  /**
   * Forgets every answer, so the next request with any token is looked up again. Called when this
   * server revokes a token: the cache is keyed by hashes, so it cannot tell which entry was that
   * token's, and revocations are rare enough that the cost is a few lookups.
   */
  public void forgetAll() {
    verdicts.clear();
  }

  /** Entries held, expired ones included until they are dropped. */
  int size() {
    return verdicts.size();
  }

  /** The fingerprints held, for tests. */
  Iterable<TokenFingerprint> keys() {
    return verdicts.keySet();
  }
}
