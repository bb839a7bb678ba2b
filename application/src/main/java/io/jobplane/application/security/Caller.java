package io.jobplane.application.security;

import io.jobplane.domain.JobId;
import java.util.Objects;
import java.util.Set;

/**
 * The authenticated principal behind a request. {@code projects} null means every project;
 * otherwise the caller sees only jobs of those projects. {@code run} is set for the credential of
 * one run's pods: it may report for that run of that job and do nothing else.
 */
public record Caller(String name, Set<Role> roles, Set<String> projects, RunScope run) {

  /** The one job run a pod credential is good for. */
  public record RunScope(JobId jobId, int runId) {
    public RunScope {
      Objects.requireNonNull(jobId, "jobId");
    }
  }

  public Caller(String name, Set<Role> roles, Set<String> projects) {
    this(name, roles, projects, null);
  }

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
