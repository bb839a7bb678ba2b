package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobGraphRepository;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.graph.JobGraph;
import io.jobplane.domain.graph.JobGraphId;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** {@link JobGraphRepository} in memory, over an {@link InMemoryJobRepository} for statuses. */
public final class InMemoryJobGraphRepository implements JobGraphRepository {

  private static final Comparator<JobGraph> NEWEST_FIRST =
      Comparator.comparing(JobGraph::createdAt).thenComparing(g -> g.id().value()).reversed();

  private final InMemoryJobRepository jobs;
  private final Map<JobGraphId, JobGraph> graphs = new LinkedHashMap<>();
  private final Map<String, KeyedGraph> keys = new HashMap<>();

  public InMemoryJobGraphRepository(InMemoryJobRepository jobs) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
  }

  @Override
  public synchronized boolean insert(JobGraph graph, IdempotencyMark key) {
    if (key != null) {
      String k = key.principal() + "\u0000" + key.key();
      if (keys.containsKey(k)) {
        return false;
      }
      keys.put(k, new KeyedGraph(graph.id(), key.fingerprint()));
    }
    graphs.put(graph.id(), graph);
    return true;
  }

  @Override
  public synchronized Optional<JobGraph> find(JobGraphId id) {
    return Optional.ofNullable(graphs.get(id));
  }

  @Override
  public synchronized Optional<KeyedGraph> findByKey(String principal, String key) {
    return Optional.ofNullable(keys.get(principal + "\u0000" + key));
  }

  @Override
  public synchronized List<JobGraph> list(Set<String> projects, After after, int limit) {
    return graphs.values().stream()
        .filter(g -> projects == null || projects.contains(g.project()))
        .sorted(NEWEST_FIRST)
        .filter(
            g ->
                after == null
                    || g.createdAt().isBefore(after.createdAt())
                    || (g.createdAt().equals(after.createdAt())
                        && g.id().value().compareTo(after.id().value()) < 0))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized Map<JobId, JobStatus> statuses(Collection<JobId> ids) {
    Map<JobId, JobStatus> out = new HashMap<>();
    for (JobId id : ids) {
      jobs.findById(id).map(JobSnapshot::status).ifPresent(s -> out.put(id, s));
    }
    return out;
  }
}
