package io.jobplane.application.security;

import io.jobplane.domain.DomainException;
import io.jobplane.domain.Text;
import java.util.Objects;
import java.util.Set;

/**
 * What an API token issued through the API allows: who it is (its name, which jobs record as their
 * creator), its roles, and the projects it sees ({@code projects} null: every project). Valid by
 * construction, so a token that can never match a job (a project such as "projA") is refused when
 * it is issued instead of silently seeing nothing.
 */
public record TokenGrant(String name, Set<Role> roles, Set<String> projects) {

  /** Enough for any real tenant list, and a bound on what one row holds. */
  public static final int MAX_PROJECTS = 100;

  public TokenGrant {
    // the name becomes the caller's name: in created_by, idempotency scopes and request logs
    Text.identifier(name, "name");
    if (roles == null || roles.isEmpty()) {
      throw DomainException.invalid("roles", "at least one role is required");
    }
    roles = Set.copyOf(roles);
    if (projects != null) {
      if (projects.size() > MAX_PROJECTS) {
        throw DomainException.invalid(
            "projects", "at most " + MAX_PROJECTS + " projects, or none for every project");
      }
      projects.forEach(p -> Text.identifier(Objects.requireNonNull(p, "project"), "projects"));
      projects = Set.copyOf(projects);
    }
  }

  /** The caller a presented token of this grant stands for. */
  public Caller caller() {
    return new Caller(name, roles, projects);
  }
}
