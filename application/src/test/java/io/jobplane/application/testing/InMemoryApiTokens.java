package io.jobplane.application.testing;

import io.jobplane.application.port.out.ApiTokens;
import io.jobplane.application.security.ApiToken;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Issued tokens in maps, with the store's rules: one live token per name, revoke once. */
public final class InMemoryApiTokens implements ApiTokens {

  private final Map<UUID, ApiToken> byId = new LinkedHashMap<>();
  private final Map<ByteBuffer, UUID> byHash = new LinkedHashMap<>();
  private int recordedUses;

  @Override
  public synchronized boolean insert(ApiToken token, byte[] sha256) {
    boolean nameTaken =
        byId.values().stream()
            .anyMatch(t -> t.revokedAt() == null && t.grant().name().equals(token.grant().name()));
    if (nameTaken) {
      return false;
    }
    byId.put(token.id(), token);
    byHash.put(ByteBuffer.wrap(sha256.clone()), token.id());
    return true;
  }

  @Override
  public synchronized Optional<ApiToken> findBySha256(byte[] sha256) {
    return Optional.ofNullable(byHash.get(ByteBuffer.wrap(sha256))).map(byId::get);
  }

  @Override
  public synchronized Optional<ApiToken> findById(UUID id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized List<ApiToken> list(int limit) {
    return byId.values().stream()
        .sorted(Comparator.comparing(ApiToken::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized boolean revoke(UUID id, Instant at) {
    ApiToken t = byId.get(id);
    if (t == null) {
      return false;
    }
    if (t.revokedAt() == null) {
      byId.put(
          id, new ApiToken(t.id(), t.grant(), t.createdAt(), t.expiresAt(), t.lastUsedAt(), at));
    }
    return true;
  }

  @Override
  public synchronized void recordUse(UUID id, Instant at) {
    ApiToken t = byId.get(id);
    if (t != null && (t.lastUsedAt() == null || t.lastUsedAt().isBefore(at))) {
      recordedUses++;
      byId.put(
          id, new ApiToken(t.id(), t.grant(), t.createdAt(), t.expiresAt(), at, t.revokedAt()));
    }
  }

  /** How many uses were written, to show that reads are not each a write. */
  public synchronized int recordedUses() {
    return recordedUses;
  }
}
