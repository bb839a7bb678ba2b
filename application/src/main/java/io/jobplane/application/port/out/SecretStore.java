package io.jobplane.application.port.out;

import io.jobplane.application.security.SecretCipher.Sealed;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where secrets live: per project and name, each key's value sealed by {@link
 * io.jobplane.application.security.SecretCipher}. The store never sees a plain value; it keeps and
 * hands back the sealed bytes. Calls join the caller's transaction.
 */
public interface SecretStore {

  /** A secret without its values: what anyone who may see it is shown. */
  record SecretInfo(
      String project,
      String name,
      List<String> keys,
      Instant createdAt,
      Instant updatedAt,
      String updatedBy) {
    public SecretInfo {
      keys = List.copyOf(keys);
    }
  }

  /** One secret of one project. */
  record SecretId(String project, String name) {}

  /** Creates the secret or replaces all of its keys; true when it was created. */
  boolean put(SecretId id, Map<String, Sealed> values, String by, Instant now);

  /** The secrets of a project, by name, at most {@code limit}. */
  List<SecretInfo> list(String project, int limit);

  /** How many secrets the project holds. */
  int count(String project);

  /** The named secrets of a project that exist (the others are left out). */
  List<SecretInfo> find(String project, Collection<String> names);

  default Optional<SecretInfo> find(SecretId id) {
    return find(id.project(), List.of(id.name())).stream().findFirst();
  }

  /** Deletes the secret; false when there was none. */
  boolean delete(SecretId id);

  /**
   * The sealed values of the given secrets, by secret and key, in one read; secrets that do not
   * exist are missing from the answer.
   */
  Map<SecretId, Map<String, Sealed>> sealedValues(Collection<SecretId> ids);

  /** The store of a server that keeps no secrets: nothing exists, nothing can be written. */
  SecretStore NONE =
      new SecretStore() {
        @Override
        public boolean put(SecretId id, Map<String, Sealed> values, String by, Instant now) {
          throw new IllegalStateException("this server stores no secrets");
        }

        @Override
        public List<SecretInfo> list(String project, int limit) {
          return List.of();
        }

        @Override
        public int count(String project) {
          return 0;
        }

        @Override
        public List<SecretInfo> find(String project, Collection<String> names) {
          return List.of();
        }

        @Override
        public boolean delete(SecretId id) {
          return false;
        }

        @Override
        public Map<SecretId, Map<String, Sealed>> sealedValues(Collection<SecretId> ids) {
          return Map.of();
        }
      };
}
