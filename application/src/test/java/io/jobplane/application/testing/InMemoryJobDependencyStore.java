package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobStatus;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link JobDependencyStore} in memory, over an {@link InMemoryJobRepository}: keeps the edges of
 * new waiting jobs so submits with depends_on can be tested without PostgreSQL. It records no ends
 * (nothing is released); the release is tested on the real store (JobDependenciesIT).
 */
public final class InMemoryJobDependencyStore implements JobDependencyStore {

  private final InMemoryJobRepository jobs;
  private final Map<JobId, JobDependencies> edges = new HashMap<>();

  public InMemoryJobDependencyStore(InMemoryJobRepository jobs) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
  }

  @Override
  public synchronized Map<JobId, JobStatus> lockForNewDependent(
      String project, Collection<JobId> ids) {
    Map<JobId, JobStatus> out = new HashMap<>();
    for (JobId id : ids) {
      jobs.findById(id)
          .filter(j -> j.definition().project().equals(project))
          .ifPresent(j -> out.put(id, j.status()));
    }
    return out;
  }

  @Override
  public synchronized void insert(
      JobId job, JobDependencies dependencies, Map<JobId, JobStatus> endedAs) {
    edges.put(job, dependencies);
  }

  @Override
  public List<JobId> recordEnds(Map<JobId, JobStatus> ended) {
    return List.of();
  }

  @Override
  public synchronized Optional<JobDependencies.Standing> standing(JobId job) {
    return Optional.ofNullable(edges.get(job)).map(d -> new JobDependencies.Standing(d, Map.of()));
  }

  /** The dependencies stored for {@code job}, if it waits for others. */
  public synchronized Optional<JobDependencies> of(JobId job) {
    return Optional.ofNullable(edges.get(job));
  }
}
