package io.jobplane.application.security;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Names of Kubernetes objects in the platform's configuration: a name that Kubernetes would never
 * accept can never match, so it is refused when configured rather than silently opening nothing.
 */
final class KubernetesNames {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private KubernetesNames() {}

  static boolean isNamespace(String name) {
    return name.length() <= 63 && DNS_LABEL.matcher(name).matches();
  }

  static boolean isSecretName(String name) {
    return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
  }

  /** An unmodifiable copy of {@code lists}, each key and value checked on the way. */
  static Map<String, Set<String>> checkedCopy(
      Map<String, Set<String>> lists, Consumer<String> key, BiConsumer<String, String> value) {
    TreeMap<String, Set<String>> copy = new TreeMap<>();
    lists.forEach(
        (k, values) -> {
          key.accept(k);
          values.forEach(v -> value.accept(k, v));
          copy.put(k, Set.copyOf(values));
        });
    return Map.copyOf(copy);
  }
}
