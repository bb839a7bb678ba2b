package io.jobplane.adapters.k8s.operator;

import io.jobplane.application.security.AllowedSecrets;
import io.jobplane.application.security.ProjectNamespaces;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the platform team allows in the pod templates of {@code Job} resources; checked by {@link
 * PodPolicyCheck} before anything is created.
 *
 * @param level the Kubernetes Pod Security Standard pod templates must meet
 * @param deniedNamespaces namespaces whose {@code Job} resources are rejected
 * @param protectedSecrets names of the platform's own Secrets that job pods must not reference
 * @param serviceAccount the one service account job pods run as; a template naming another one is
 *     rejected. Null: pods run as the namespace's {@code default} service account and must not name
 *     any other
 * @param projectNamespaces the namespaces each project's jobs may run in
 * @param allowedSecrets the Secrets each namespace's pod templates may reference, on top of the
 *     deny-list {@code protectedSecrets}
 */
public record PodPolicy(
    Level level,
    Set<String> deniedNamespaces,
    Set<String> protectedSecrets,
    String serviceAccount,
    ProjectNamespaces projectNamespaces,
    AllowedSecrets allowedSecrets) {

  /** The Kubernetes Pod Security Standards, plus NONE for the platform-only checks. */
  public enum Level {
    /** Baseline plus the hardening best practices (non-root, no escalation, drop ALL, seccomp). */
    RESTRICTED,
    /** Prevents known privilege escalations: no privileged, host namespaces, hostPath, ... */
    BASELINE,
    /** Only the platform's own rules: denied namespaces, service account, protected Secrets. */
    NONE;

    /** "restricted", as the Pod Security Standards spell it. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public PodPolicy {
    Objects.requireNonNull(level, "level");
    deniedNamespaces = deniedNamespaces == null ? Set.of() : Set.copyOf(deniedNamespaces);
    protectedSecrets = protectedSecrets == null ? Set.of() : Set.copyOf(protectedSecrets);
    projectNamespaces = projectNamespaces == null ? ProjectNamespaces.NONE : projectNamespaces;
    allowedSecrets = allowedSecrets == null ? AllowedSecrets.NONE : allowedSecrets;
  }

  /** No project mapping and no Secret allow-list: the rules of earlier versions. */
  public PodPolicy(
      Level level,
      Set<String> deniedNamespaces,
      Set<String> protectedSecrets,
      String serviceAccount) {
    this(level, deniedNamespaces, protectedSecrets, serviceAccount, null, null);
  }

  public PodPolicy withProjectNamespaces(ProjectNamespaces mapping) {
    return new PodPolicy(
        level, deniedNamespaces, protectedSecrets, serviceAccount, mapping, allowedSecrets);
  }

  public PodPolicy withAllowedSecrets(AllowedSecrets allowList) {
    return new PodPolicy(
        level, deniedNamespaces, protectedSecrets, serviceAccount, projectNamespaces, allowList);
  }

  /** Restricted, the control-plane namespaces denied, no protected Secrets, default account. */
  public static PodPolicy defaults() {
    return new PodPolicy(
        Level.RESTRICTED, Set.of("kube-system", "kube-public", "kube-node-lease"), Set.of(), null);
  }
}
