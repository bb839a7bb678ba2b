package io.jobplane.application.security;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.Text;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Kubernetes namespaces each project's jobs may run in. A token is scoped to projects, so
 * without this rule a project's submitter could place a job in any namespace (and next to any other
 * team's Secrets) the operator can reach.
 *
 * <p>Nothing configured ({@link #NONE}) keeps the behaviour of earlier versions: every namespace
 * the operator does not deny. Once any project is mapped, the map is the whole truth: a project
 * without an entry may use no namespace, so a project added later is closed until someone opens it.
 *
 * @param byProject project name to the namespaces its jobs may use (an empty set: none)
 */
public record ProjectNamespaces(Map<String, Set<String>> byProject) {

  /** No mapping: any namespace the operator does not deny, as before issue 12. */
  public static final ProjectNamespaces NONE = new ProjectNamespaces(Map.of());

  public ProjectNamespaces {
    byProject =
        KubernetesNames.checkedCopy(
            byProject,
            project -> Text.identifier(project, "project"),
            (project, namespace) -> {
              if (!KubernetesNames.isNamespace(namespace)) {
                throw DomainException.invalid(
                    "namespace",
                    "'" + namespace + "' of project " + project + " is not a namespace");
              }
            });
  }

  public boolean configured() {
    return !byProject.isEmpty();
  }

  public boolean allows(String project, String namespace) {
    return !configured() || byProject.getOrDefault(project, Set.of()).contains(namespace);
  }

  /** Why {@code project} may not run jobs in {@code namespace}; empty when it may. */
  public Optional<String> refusal(String project, String namespace) {
    if (allows(project, namespace)) {
      return Optional.empty();
    }
    Set<String> allowed = byProject.getOrDefault(project, Set.of());
    return Optional.of(
        "project "
            + project
            + " may not run jobs in namespace "
            + namespace
            + (allowed.isEmpty()
                ? " (it is allowed no namespace)"
                : " (allowed: " + String.join(", ", new TreeSet<>(allowed)) + ")"));
  }

  /** Throws FORBIDDEN (HTTP 403) when {@code project} may not run jobs in {@code namespace}. */
  public void requireAllowed(String project, String namespace) {
    refusal(project, namespace)
        .ifPresent(
            why -> {
              throw new DomainException(DomainException.Reason.FORBIDDEN, why);
            });
  }
}
