package io.jobplane.application.testing;

import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Limits kept in a map and usage counted on an {@link InMemoryJobRepository}; remembers which
 * projects were locked for admission, so a test can tell that an unlimited project paid nothing.
 */
public final class InMemoryProjectLimitsStore implements ProjectLimitsStore {

  private static final Set<JobStatus> RUNNING = EnumSet.of(JobStatus.RUNNING, JobStatus.STOPPING);
  private static final Set<JobStatus> WAITING =
      EnumSet.of(JobStatus.PENDING, JobStatus.SUSPENDED, JobStatus.QUEUED);

  private final InMemoryJobRepository jobs;
  private final Map<String, StoredLimits> stored = new ConcurrentSkipListMap<>();
  public final List<String> admissionLocks = new CopyOnWriteArrayList<>();

  /** Projects whose running lock was taken ({@link #lockRunning}), in order. */
  public final List<String> runningLocks = new CopyOnWriteArrayList<>();

  public InMemoryProjectLimitsStore(InMemoryJobRepository jobs) {
    this.jobs = jobs;
  }

  @Override
  public Optional<StoredLimits> find(String project) {
    return Optional.ofNullable(stored.get(project));
  }

  @Override
  public List<StoredLimits> all(int max) {
    return stored.values().stream().limit(max).toList();
  }

  @Override
  public List<StoredLimits> find(Collection<String> projects) {
    return stored.values().stream().filter(l -> projects.contains(l.project())).toList();
  }

  @Override
  public void put(String project, ProjectLimits limits, String updatedBy, Instant at) {
    if (limits.isEmpty()) {
      stored.remove(project);
    } else {
      stored.put(project, new StoredLimits(project, limits, at, updatedBy));
    }
  }

  @Override
  public void lockAdmission(String project) {
    admissionLocks.add(project);
  }

  @Override
  public void lockRunning(String project) {
    runningLocks.add(project);
  }

  @Override
  public long waitingJobs(String project, String queue, long cap) {
    return count(project, queue, WAITING);
  }

  @Override
  public long runningJobs(String project, String queue) {
    return count(project, queue, RUNNING);
  }

  @Override
  public Optional<RunningLoad> runningLoad(String project, String queue) {
    return find(project)
        .map(StoredLimits::limits)
        .filter(ProjectLimits::limitsRunning)
        .filter(l -> l.maxRunning() != null || l.queue(queue).maxRunning() != null)
        .map(
            l ->
                new RunningLoad(
                    l.maxRunning(),
                    runningJobs(project, null),
                    l.queue(queue).maxRunning(),
                    runningJobs(project, queue)));
  }

  @Override
  public ProjectUsage usage(String project, Collection<String> queues) {
    Map<String, Usage> perQueue = new LinkedHashMap<>();
    queues.forEach(
        q -> perQueue.put(q, new Usage(runningJobs(project, q), waitingJobs(project, q, 0))));
    return new ProjectUsage(
        new Usage(runningJobs(project, null), waitingJobs(project, null, 0)), perQueue);
  }

  private long count(String project, String queue, Set<JobStatus> statuses) {
    return jobs.all().stream()
        .filter(j -> j.definition().project().equals(project))
        .filter(j -> queue == null || j.definition().queue().equals(queue))
        .map(JobSnapshot::status)
        .filter(statuses::contains)
        .count();
  }
}
