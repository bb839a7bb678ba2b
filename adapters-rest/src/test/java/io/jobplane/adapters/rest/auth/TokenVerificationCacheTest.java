package io.jobplane.adapters.rest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class TokenVerificationCacheTest {

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Caller POD =
      new Caller("run:pod/1", Set.of(Role.WORKER), Set.of("ml"), null);

  private final AtomicLong nanos = new AtomicLong(-1_000_000_000L); // nanoTime may be negative
  private final AtomicInteger lookups = new AtomicInteger();

  private TokenVerificationCache cache(int maxEntries) {
    return new TokenVerificationCache(TTL, maxEntries, nanos::get);
  }

  private Supplier<Optional<Caller>> lookup(AtomicReference<Optional<Caller>> store) {
    return () -> {
      lookups.incrementAndGet();
      return store.get();
    };
  }

  private static TokenFingerprint token(String text) {
    return TokenFingerprint.of(Sha256.of(text));
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void anAnswerIsReusedWithinTheWindow() {
    TokenVerificationCache cache = cache(100);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.of(POD));

    assertThat(cache.verify(token("jpr_a"), lookup(store))).contains(POD);
    advance(TTL.minusMillis(1));
    assertThat(cache.verify(token("jpr_a"), lookup(store))).contains(POD);

    assertThat(lookups).hasValue(1);
  }

  @Test
  void aRevokedCredentialIsRefusedOnceTheWindowHasPassed() {
    TokenVerificationCache cache = cache(100);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.of(POD));
    cache.verify(token("jpr_a"), lookup(store));

    store.set(Optional.empty()); // the job was deleted, and its credential with it
    advance(TTL.minusMillis(1));
    assertThat(cache.verify(token("jpr_a"), lookup(store))).contains(POD);
    advance(Duration.ofMillis(1));
    assertThat(cache.verify(token("jpr_a"), lookup(store))).isEmpty();

    assertThat(lookups).hasValue(2);
  }

  @Test
  void aRefusalIsRememberedTooAndAskedAgainAfterTheWindow() {
    TokenVerificationCache cache = cache(100);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.empty());

    assertThat(cache.verify(token("jpr_new"), lookup(store))).isEmpty();
    store.set(Optional.of(POD)); // issued just after the first attempt
    assertThat(cache.verify(token("jpr_new"), lookup(store))).isEmpty();
    advance(TTL);
    assertThat(cache.verify(token("jpr_new"), lookup(store))).contains(POD);

    assertThat(lookups).hasValue(2);
  }

  @Test
  void tokensAreCachedApart() {
    TokenVerificationCache cache = cache(100);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.of(POD));
    cache.verify(token("jpr_a"), lookup(store));

    store.set(Optional.empty());
    assertThat(cache.verify(token("jpr_b"), lookup(store))).isEmpty();
    assertThat(cache.verify(token("jpr_a"), lookup(store))).contains(POD);
  }

  @Test
  void aFailedLookupIsNotRemembered() {
    TokenVerificationCache cache = cache(100);
    Supplier<Optional<Caller>> failing =
        () -> {
          lookups.incrementAndGet();
          throw new IllegalStateException("database down");
        };

    assertThatThrownBy(() -> cache.verify(token("jpr_a"), failing)).hasMessage("database down");
    assertThatThrownBy(() -> cache.verify(token("jpr_a"), failing)).hasMessage("database down");

    assertThat(lookups).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void theCacheStaysWithinItsCapAndMakesRoomAsEntriesExpire() {
    TokenVerificationCache cache = cache(3);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.empty());
    for (int i = 0; i < 50; i++) {
      cache.verify(token("guess-" + i), lookup(store));
    }
    assertThat(cache.size()).isEqualTo(3);

    // full of fresh answers: another token is answered, just not remembered
    store.set(Optional.of(POD));
    cache.verify(token("jpr_a"), lookup(store));
    cache.verify(token("jpr_a"), lookup(store));
    assertThat(lookups).hasValue(52);

    advance(TTL);
    cache.verify(token("jpr_a"), lookup(store));
    cache.verify(token("jpr_a"), lookup(store));
    assertThat(lookups).hasValue(53);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void aZeroTtlLooksUpEveryTime() {
    TokenVerificationCache cache = new TokenVerificationCache(Duration.ZERO, 100, nanos::get);
    AtomicReference<Optional<Caller>> store = new AtomicReference<>(Optional.of(POD));

    cache.verify(token("jpr_a"), lookup(store));
    cache.verify(token("jpr_a"), lookup(store));

    assertThat(lookups).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void fingerprintsCompareByTheirDigest() {
    assertThat(token("jpr_a")).isEqualTo(token("jpr_a")).hasSameHashCodeAs(token("jpr_a"));
    assertThat(token("jpr_a")).isNotEqualTo(token("jpr_b"));
    assertThatThrownBy(() -> TokenFingerprint.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
