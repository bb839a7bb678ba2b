package io.jobplane.application.security;

import java.util.Objects;
import java.util.Set;

/**
 * The authenticated principal behind a request. {@code projects} null means every project;
 * otherwise the caller sees only jobs of those projects.
 */
public record Caller(String name, Set<Role> roles, Set<String> projects) {

  public Caller {
    Objects.requireNonNull(name, "name");
    roles = Set.copyOf(roles);
    projects = projects == null ? null : Set.copyOf(projects);
  }

  public static Caller admin(String name) {
    return new Caller(name, Set.of(Role.ADMIN), null);
  }

  public boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  public boolean canRead() {
    return has(Role.VIEWER) || has(Role.SUBMITTER);
  }

  public boolean canWrite() {
    return has(Role.SUBMITTER);
  }

  public boolean sees(String project) {
    return projects == null || projects.contains(project);
  }

  /** How this caller appears as the source of timeline events. */
  public String source() {
    return "api:" + name;
  }
}
