package io.jobplane.adapters.rest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobplane.application.port.in.RunCredentialsUseCase;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.Sha256;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How the filter tells who a token belongs to; the HTTP side is in AuthApiTest. */
class AuthenticationFilterTest {

  private static final String ADMIN_TOKEN = "admin-secret";
  private static final String POD_TOKEN = "jpr_pod-credential-of-run-1";

  private final AtomicLong nanos = new AtomicLong();
  private final Map<String, Caller> issued = new ConcurrentHashMap<>();
  private final List<String> lookedUp = new ArrayList<>();

  /** The run credentials on record; counts the (database) lookups. */
  private final RunCredentialsUseCase runCredentials =
      token -> {
        lookedUp.add(token);
        return Optional.ofNullable(issued.get(token));
      };

  private final TokenVerificationCache cache =
      new TokenVerificationCache(Duration.ofSeconds(5), 100, nanos::get);

  private final AuthenticationFilter filter =
      new AuthenticationFilter(
          TokenRegistry.of(
              List.of(TokenEntry.forToken("admin", ADMIN_TOKEN, Set.of(Role.ADMIN), null))),
          runCredentials,
          false,
          cache);

  private static final Caller POD =
      new Caller("run:job/1", Set.of(Role.WORKER), Set.of("ml"), null);

  @Test
  void configuredTokensAreComparedInMemoryAndNeverCached() {
    assertThat(filter.authenticate(ADMIN_TOKEN)).map(Caller::name).contains("admin");
    assertThat(filter.authenticate(ADMIN_TOKEN)).map(Caller::name).contains("admin");

    assertThat(lookedUp).isEmpty();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aRunCredentialIsLookedUpOncePerWindowAndRevocationTakesEffectAfterIt() {
    issued.put(POD_TOKEN, POD);

    assertThat(filter.authenticate(POD_TOKEN)).contains(POD);
    assertThat(filter.authenticate(POD_TOKEN)).contains(POD);
    assertThat(lookedUp).hasSize(1);

    issued.clear(); // the job was deleted
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(filter.authenticate(POD_TOKEN)).isEmpty();
    assertThat(lookedUp).hasSize(2);
  }

  @Test
  void anEmptyTokenIsRefusedWithoutALookup() {
    assertThat(filter.authenticate("")).isEmpty();
    assertThat(lookedUp).isEmpty();
  }

  @Test
  void theCacheKeepsTheTokensHashNeverTheToken() {
    issued.put(POD_TOKEN, POD);
    filter.authenticate(POD_TOKEN);
    filter.authenticate("jpr_a-guess-that-is-refused");

    assertThat(cache.keys())
        .containsExactlyInAnyOrder(
            TokenFingerprint.of(Sha256.of(POD_TOKEN)),
            TokenFingerprint.of(Sha256.of("jpr_a-guess-that-is-refused")));
    List<String> texts = new ArrayList<>();
    collectStrings(cache, texts, new IdentityHashMap<>());
    assertThat(texts).isNotEmpty().noneMatch(t -> t.contains("jpr_"));
  }

  /** Every string reachable from our objects, through collections, maps and optionals. */
  private static void collectStrings(Object o, List<String> out, Map<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof String s) {
      out.add(s);
    } else if (o instanceof Optional<?> opt) {
      opt.ifPresent(v -> collectStrings(v, out, seen));
    } else if (o instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            collectStrings(k, out, seen);
            collectStrings(v, out, seen);
          });
    } else if (o instanceof Collection<?> c) {
      c.forEach(v -> collectStrings(v, out, seen));
    } else if (o.getClass().getName().startsWith("io.jobplane.")) {
      for (Class<?> t = o.getClass();
          t != null && t.getName().startsWith("io.jobplane.");
          t = t.getSuperclass()) {
        for (Field f : t.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          f.setAccessible(true);
          try {
            collectStrings(f.get(o), out, seen);
          } catch (IllegalAccessException e) {
            throw new AssertionError(e);
          }
        }
      }
    }
  }
}
