package io.jobplane.application.testing;

import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.security.SecretCipher.Sealed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** Secrets in a sorted map, sealed values as given, so tests can look at what would be stored. */
public final class InMemorySecretStore implements SecretStore {

  private record Row(Map<String, Sealed> values, Instant createdAt, Instant updatedAt, String by) {}

  private final Map<String, Row> rows = new ConcurrentSkipListMap<>();

  private static String key(SecretId id) {
    return id.project() + "/" + id.name();
  }

  @Override
  public synchronized boolean put(SecretId id, Map<String, Sealed> values, String by, Instant now) {
    Row before = rows.get(key(id));
    rows.put(
        key(id),
        new Row(new TreeMap<>(values), before == null ? now : before.createdAt(), now, by));
    return before == null;
  }

  @Override
  public List<SecretInfo> list(String project, int limit) {
    List<SecretInfo> out = new ArrayList<>();
    rows.forEach(
        (k, row) -> {
          if (k.startsWith(project + "/") && out.size() < limit) {
            out.add(info(k, row));
          }
        });
    return out;
  }

  @Override
  public int count(String project) {
    return list(project, Integer.MAX_VALUE).size();
  }

  @Override
  public List<SecretInfo> find(String project, Collection<String> names) {
    List<SecretInfo> out = new ArrayList<>();
    names.stream()
        .distinct()
        .forEach(
            n -> {
              Row row = rows.get(project + "/" + n);
              if (row != null) {
                out.add(info(project + "/" + n, row));
              }
            });
    return out;
  }

  @Override
  public boolean delete(SecretId id) {
    return rows.remove(key(id)) != null;
  }

  @Override
  public Map<SecretId, Map<String, Sealed>> sealedValues(Collection<SecretId> ids) {
    Map<SecretId, Map<String, Sealed>> out = new java.util.HashMap<>();
    ids.forEach(
        id -> {
          Row row = rows.get(key(id));
          if (row != null) {
            out.put(id, row.values());
          }
        });
    return out;
  }

  /** What the store holds for one secret: its sealed values, as a stored row would. */
  public Map<String, Sealed> stored(String project, String name) {
    Row row = rows.get(project + "/" + name);
    return row == null ? Map.of() : row.values();
  }

  private static SecretInfo info(String key, Row row) {
    int slash = key.indexOf('/');
    return new SecretInfo(
        key.substring(0, slash),
        key.substring(slash + 1),
        List.copyOf(row.values().keySet()),
        row.createdAt(),
        row.updatedAt(),
        row.by());
  }
}
