package io.jobplane.application.service;

import io.jobplane.application.port.in.QueueOverviewUseCase;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.QueueOverviewReader;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueCounts;
import io.jobplane.domain.QueueSummary;
import io.jobplane.domain.QueueWait;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

public final class QueueOverviewService implements QueueOverviewUseCase {

  private final QueueOverviewReader reader;
  private final ProjectLimitsStore limits;
  private final Clock clock;

  public QueueOverviewService(QueueOverviewReader reader, ProjectLimitsStore limits, Clock clock) {
    this.reader = reader;
    this.limits = limits;
    this.clock = clock;
  }

  @Override
  public Overview overview(Caller caller, String project) {
    // who may see what comes first: nothing is read for a caller who may not read it
    AccessPolicy.requireRead(caller);
    Set<String> projects = caller.projects();
    if (project != null) {
      if (!caller.sees(project)) {
        throw new DomainException(
            DomainException.Reason.FORBIDDEN,
            "token '" + caller.name() + "' may not read project '" + project + "'");
      }
      projects = Set.of(project);
    }
    Instant now = clock.instant();
    // one more than shown tells whether the list was cut
    List<QueueCounts> counts =
        reader.read(projects, now.minus(QueueWait.ACTIVE_WINDOW), now, MAX_QUEUES + 1);
    boolean truncated = counts.size() > MAX_QUEUES;
    List<QueueSummary> shown = counts.stream().limit(MAX_QUEUES).map(QueueSummary::of).toList();
    // the limits of the projects listed (already those the caller sees): one read of a tiny table
    Map<String, ProjectLimits> limitsOf = new HashMap<>();
    limits
        .find(shown.stream().map(QueueSummary::project).collect(Collectors.toSet()))
        .forEach(l -> limitsOf.put(l.project(), l.limits()));
    return new Overview(shown, truncated, now, limitsOf);
  }
}
