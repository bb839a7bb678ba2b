package io.jobplane.application.service;

import io.jobplane.application.port.in.ProjectLimitsUseCase;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.ProjectLimitsStore.StoredLimits;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.Text;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Reads and sets project limits. Visibility comes first: a project the caller cannot see is
 * NOT_FOUND for reads and writes alike, so nothing about it (not even whether it has limits) is
 * revealed; then setting needs an admin token.
 */
public final class ProjectLimitsService implements ProjectLimitsUseCase {

  private final ProjectLimitsStore store;
  private final TransactionRunner tx;
  private final Clock clock;

  public ProjectLimitsService(ProjectLimitsStore store, TransactionRunner tx, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public LimitsView get(Caller caller, String project) {
    visible(caller, project);
    return tx.inTransaction(() -> view(project));
  }

  @Override
  public LimitsView put(Caller caller, String project, Supplier<ProjectLimits> limits) {
    visible(caller, project);
    if (caller.run() != null || !caller.has(Role.ADMIN)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not set limits (role admin needed)");
    }
    ProjectLimits wanted = Objects.requireNonNull(limits.get(), "limits");
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          store.put(project, wanted, caller.name(), now);
          return view(project);
        });
  }

  @Override
  public List<LimitsView> everyProject() {
    return tx.inTransaction(
        () ->
            store.all(MAX_PROJECTS).stream()
                .map(
                    stored ->
                        new LimitsView(
                            stored.project(),
                            stored.limits(),
                            store.usage(stored.project(), stored.limits().queues().keySet()),
                            stored.updatedAt(),
                            stored.updatedBy()))
                .toList());
  }

  private LimitsView view(String project) {
    StoredLimits stored =
        store.find(project).orElse(new StoredLimits(project, ProjectLimits.NONE, null, null));
    return new LimitsView(
        project,
        stored.limits(),
        store.usage(project, stored.limits().queues().keySet()),
        stored.updatedAt(),
        stored.updatedBy());
  }

  /** Read access, then visibility: an invisible project is reported as missing. */
  private static void visible(Caller caller, String project) {
    AccessPolicy.requireRead(caller);
    Text.identifier(project, "project");
    if (!caller.sees(project)) {
      throw DomainException.notFound("project not found");
    }
  }
}
