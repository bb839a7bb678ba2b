package io.jobplane.application.security;

import io.jobplane.domain.DomainException;
import java.util.Map;
import java.util.Set;

/**
 * Which Secrets the pod templates of each namespace may reference. A deny-list names what the
 * platform knows to protect; every Secret it does not know of (another team's database password in
 * a shared namespace) would be open. An allow-list closes them all.
 *
 * <p>Nothing configured ({@link #NONE}): no allow-list, only the deny-list applies (not
 * recommended). Once any namespace has an entry, a namespace without one may reference no Secret.
 *
 * @param byNamespace namespace to the names of the Secrets its pod templates may reference
 */
public record AllowedSecrets(Map<String, Set<String>> byNamespace) {

  /** No allow-list: any Secret that is not on the deny-list. */
  public static final AllowedSecrets NONE = new AllowedSecrets(Map.of());

  public AllowedSecrets {
    byNamespace =
        KubernetesNames.checkedCopy(
            byNamespace,
            namespace -> {
              if (!KubernetesNames.isNamespace(namespace)) {
                throw DomainException.invalid(
                    "namespace", "'" + namespace + "' is not a namespace");
              }
            },
            (namespace, secret) -> {
              if (!KubernetesNames.isSecretName(secret)) {
                throw DomainException.invalid(
                    "secret",
                    "'" + secret + "' of namespace " + namespace + " is not a Secret name");
              }
            });
  }

  public boolean configured() {
    return !byNamespace.isEmpty();
  }

  public boolean allows(String namespace, String secret) {
    return !configured() || byNamespace.getOrDefault(namespace, Set.of()).contains(secret);
  }
}
