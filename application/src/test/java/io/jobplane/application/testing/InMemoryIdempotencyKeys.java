package io.jobplane.application.testing;

import io.jobplane.application.port.out.IdempotencyKeys;
import io.jobplane.domain.JobId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency keys per principal, in a map. The first {@link #remember} of a key wins. */
public final class InMemoryIdempotencyKeys implements IdempotencyKeys {

  private record Key(String principal, String key) {}

  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Optional<Entry> find(String principal, String key) {
    return Optional.ofNullable(entries.get(new Key(principal, key)));
  }

  @Override
  public boolean remember(
      String principal, String key, String fingerprint, JobId jobId, Instant now) {
    return entries.putIfAbsent(new Key(principal, key), new Entry(fingerprint, jobId)) == null;
  }

  public int size() {
    return entries.size();
  }
}
