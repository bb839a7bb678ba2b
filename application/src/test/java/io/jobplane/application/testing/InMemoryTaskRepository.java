package io.jobplane.application.testing;

import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.LeaseVerifier;
import io.jobplane.application.port.out.QueuePositions;
import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskSweeps;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.query.LabelSelector;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every port of the task table in memory ({@link TaskRepository}, {@link JobLocks}, {@link
 * TaskClaims}, {@link WorkerPresence}, {@link QueuePositions}, {@link TaskSweeps}, {@link
 * LeaseVerifier}), over a {@link JobRepository} (usually {@link InMemoryJobRepository}) for the job
 * side, and the {@link WorkerRegistry} of the workers its claims recorded. Locks are not modelled
 * (tests drive it from one thread); everything else follows the port, including the claim order and
 * filters.
 */
public final class InMemoryTaskRepository
    implements TaskRepository,
        JobLocks,
        TaskClaims,
        WorkerPresence,
        QueuePositions,
        TaskSweeps,
        LeaseVerifier,
        WorkerRegistry {

  private final JobRepository jobs;
  private final Clock clock;
  private final Map<String, TaskState> tasks = new TreeMap<>();
  private final Map<String, Sighting> workers = new TreeMap<>();
  private final Map<String, Instant> firstSeen = new TreeMap<>();

  public InMemoryTaskRepository(JobRepository jobs, Clock clock) {
    this.jobs = jobs;
    this.clock = clock;
  }

  private InMemoryChangeSignals signals = new InMemoryChangeSignals();

  /**
   * Where tasks that become QUEUED are signalled by queue (as the store's V11 trigger does; a job
   * resumed without a task write is not seen here).
   */
  public synchronized InMemoryTaskRepository signalTo(InMemoryChangeSignals target) {
    this.signals = target;
    return this;
  }

  private void signalQueued(TaskState before, TaskState after) {
    if (after.status() == TaskStatus.QUEUED
        && (before == null || before.status() != TaskStatus.QUEUED)) {
      jobs.findById(after.jobId()).ifPresent(j -> signals.workQueued(j.definition().queue()));
    }
  }

  private static String key(JobId id, int runId, int index) {
    return id + "/" + String.format("%09d/%09d", runId, index);
  }

  private static String key(TaskState t) {
    return key(t.jobId(), t.runId(), t.index());
  }

  @Override
  public synchronized void insert(List<TaskState> created) {
    for (TaskState t : created) {
      if (jobs.findById(t.jobId()).isEmpty()) {
        throw new IllegalStateException("no job " + t.jobId());
      }
      if (tasks.putIfAbsent(key(t), t) != null) {
        throw DomainException.conflict("task " + key(t) + " already exists");
      }
    }
    created.forEach(t -> signalQueued(null, t));
  }

  @Override
  public synchronized void update(List<TaskState> changed) {
    for (TaskState t : changed) {
      if (!tasks.containsKey(key(t))) {
        throw DomainException.notFound("task " + key(t) + " not found");
      }
      signalQueued(tasks.put(key(t), t), t);
    }
  }

  @Override
  public synchronized List<TaskState> forRun(JobId jobId, int runId) {
    return tasks.values().stream()
        .filter(t -> t.jobId().equals(jobId) && t.runId() == runId)
        .sorted(Comparator.comparingInt(TaskState::index))
        .toList();
  }

  @Override
  public synchronized List<TaskState> forRuns(Map<JobId, Integer> runs) {
    return tasks.values().stream()
        .filter(t -> Integer.valueOf(t.runId()).equals(runs.get(t.jobId())))
        .sorted(
            Comparator.comparing((TaskState t) -> t.jobId().value())
                .thenComparingInt(TaskState::index))
        .toList();
  }

  @Override
  public synchronized long lastEpoch(JobId jobId) {
    return tasks.values().stream()
        .filter(t -> t.jobId().equals(jobId))
        .mapToLong(TaskState::epoch)
        .max()
        .orElse(0);
  }

  @Override
  public Optional<JobSnapshot> lockJob(JobId id, boolean skipLocked) {
    return jobs.findById(id);
  }

  @Override
  public List<JobSnapshot> lockJobs(Collection<JobId> ids, boolean skipLocked) {
    return ids.stream()
        .distinct()
        .sorted(Comparator.comparing(JobId::value))
        .map(jobs::findById)
        .flatMap(Optional::stream)
        .toList();
  }

  @Override
  public List<LockedRun> lockRuns(Collection<JobId> ids, boolean skipLocked) {
    List<JobSnapshot> locked = lockJobs(ids, skipLocked);
    Map<JobId, Integer> runIds = new LinkedHashMap<>();
    locked.forEach(j -> runIds.put(j.id(), j.runId()));
    Map<JobId, List<TaskState>> byJob = new HashMap<>();
    for (TaskState t : forRuns(runIds)) {
      byJob.computeIfAbsent(t.jobId(), k -> new ArrayList<>()).add(t);
    }
    return locked.stream()
        .map(j -> new LockedRun(j, byJob.getOrDefault(j.id(), List.of())))
        .toList();
  }

  @Override
  public synchronized List<TaskKey> claimCandidates(ClaimFilter filter, Instant now, int limit) {
    record Candidate(JobSnapshot job, TaskState task) {}
    List<Candidate> candidates = new ArrayList<>();
    for (TaskState t : tasks.values()) {
      JobSnapshot job = jobs.findById(t.jobId()).orElse(null);
      if (job == null
          || t.status() != TaskStatus.QUEUED
          || t.availableAt().isAfter(now)
          || t.runId() != job.runId()
          || !(job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
          || job.desiredState() != DesiredState.RUNNING
          || !filter.queues().contains(job.definition().queue())
          || (filter.types() != null && !filter.types().contains(job.definition().type()))
          || (filter.projects() != null && !filter.projects().contains(job.definition().project()))
          || (t.boundWorker() != null && !t.boundWorker().equals(filter.workerId()))
          || (job.definition().placement() != null
              && !job.definition().placement().admits(filter.labels()))) {
        continue;
      }
      candidates.add(new Candidate(job, t));
    }
    candidates.sort(
        Comparator.comparing((Candidate c) -> -c.job().definition().priority())
            .thenComparing(c -> c.job().createdAt())
            .thenComparing(c -> c.job().id().toString())
            .thenComparingInt(c -> c.task().index()));
    return candidates.stream()
        .limit(limit)
        .map(c -> new TaskKey(c.task().jobId(), c.task().runId(), c.task().index()))
        .toList();
  }

  @Override
  public synchronized List<JobId> jobsToSweep(Instant now, int limit) {
    Set<JobId> due = new LinkedHashSet<>();
    for (TaskState t : tasks.values()) {
      if (t.status() == TaskStatus.RUNNING
          && (!t.leaseExpiresAt().isAfter(now)
              || (t.stopDeadline() != null && !t.stopDeadline().isAfter(now)))) {
        due.add(t.jobId());
      }
    }
    Set<JobId> withTasks = new LinkedHashSet<>();
    tasks.values().forEach(t -> withTasks.add(t.jobId()));
    for (JobId id : withTasks) {
      JobSnapshot job = jobs.findById(id).orElse(null);
      if (job == null) {
        continue;
      }
      Integer timeout = job.definition().timeoutSeconds();
      if (job.status().isActive()
          && timeout != null
          && job.startedAt() != null
          && !job.startedAt().plusSeconds(timeout).isAfter(now)) {
        due.add(job.id());
      }
    }
    return due.stream().limit(limit).toList();
  }

  @Override
  public synchronized VerifiedLease requireCurrentRun(JobId jobId, int taskIndex, int runId) {
    JobSnapshot job =
        jobs.findById(jobId)
            .orElseThrow(() -> DomainException.notFound("job " + jobId + " not found"));
    if (job.runId() != runId || job.status().isTerminal()) {
      throw DomainException.conflict("stale run credential: run " + runId + " of job " + jobId);
    }
    return new VerifiedLease(jobId, taskIndex, runId, 0);
  }

  @Override
  public synchronized Optional<LeasedTask> lockTask(JobId jobId, int taskIndex) {
    return jobs.findById(jobId)
        .flatMap(
            job ->
                Optional.ofNullable(tasks.get(key(jobId, job.runId(), taskIndex)))
                    .map(t -> new LeasedTask(job.definition().project(), t)));
  }

  @Override
  public synchronized void recordWorker(Sighting presence) {
    workers.put(presence.workerId(), presence);
    firstSeen.putIfAbsent(presence.workerId(), presence.seenAt());
  }

  /** Claimed since {@code since}, or holds a lease live since then. */
  private boolean seen(String worker, Instant since) {
    Sighting w = workers.get(worker);
    return (w != null && !w.seenAt().isBefore(since))
        || tasks.values().stream()
            .anyMatch(
                t ->
                    t.status() == TaskStatus.RUNNING
                        && worker.equals(t.workerId())
                        && !t.leaseExpiresAt().isBefore(since));
  }

  @Override
  public synchronized List<JobId> joinableBroadcasts(ClaimFilter filter, int limit) {
    // a broadcast always has tasks: its jobs are found through them
    return tasks.values().stream()
        .map(TaskState::jobId)
        .distinct()
        .map(id -> jobs.findById(id).orElse(null))
        .filter(java.util.Objects::nonNull)
        .filter(
            j ->
                j.definition().placement() != null
                    && j.definition().placement().includeLateJoiners()
                    && (j.status() == JobStatus.QUEUED || j.status() == JobStatus.RUNNING)
                    && j.desiredState() == DesiredState.RUNNING
                    && filter.queues().contains(j.definition().queue())
                    && (filter.types() == null || filter.types().contains(j.definition().type()))
                    && (filter.projects() == null
                        || filter.projects().contains(j.definition().project()))
                    && j.definition().placement().admits(filter.labels())
                    && forRun(j.id(), j.runId()).stream()
                        .noneMatch(t -> filter.workerId().equals(t.boundWorker())))
        .map(JobSnapshot::id)
        .sorted(Comparator.comparing(JobId::toString))
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<JobId> jobsWithLostWorkers(Instant since, int limit) {
    Set<JobId> due = new LinkedHashSet<>();
    for (TaskState t : tasks.values()) {
      JobSnapshot job = jobs.findById(t.jobId()).orElse(null);
      if (job != null
          && t.status() == TaskStatus.QUEUED
          && t.boundWorker() != null
          && t.runId() == job.runId()
          && (job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
          && !seen(t.boundWorker(), since)) {
        due.add(t.jobId());
      }
    }
    return due.stream().limit(limit).toList();
  }

  @Override
  public synchronized Set<String> lostWorkers(Collection<String> names, Instant since) {
    return names.stream().filter(n -> !seen(n, since)).collect(java.util.stream.Collectors.toSet());
  }

  @Override
  public synchronized List<LiveWorker> liveWorkers(
      String queue, String project, String type, LabelSelector selector, Instant since, int limit) {
    return workers.values().stream()
        .filter(w -> w.queues().contains(queue) && seen(w.workerId(), since))
        .filter(w -> w.identity().projects() == null || w.identity().projects().contains(project))
        .filter(w -> w.identity().types() == null || w.identity().types().contains(type))
        .filter(w -> selector.matches(w.identity().labels().values()))
        .limit(limit)
        .map(w -> new LiveWorker(w.workerId(), w.hostname()))
        .toList();
  }

  @Override
  public synchronized List<WorkerRecord> list(WorkerFilter filter) {
    List<WorkerRecord> found = new ArrayList<>();
    for (Sighting w : workers.values()) {
      Set<String> scope = w.identity().projects();
      if (!seen(w.workerId(), filter.seenSince())
          || (filter.projects() != null
              && (scope == null || scope.stream().noneMatch(filter.projects()::contains)))
          || (filter.queue() != null && !w.queues().contains(filter.queue()))
          || !filter.selector().matches(w.identity().labels().values())) {
        continue;
      }
      List<HeldTask> held =
          tasks.values().stream()
              .filter(t -> t.status() == TaskStatus.RUNNING && w.workerId().equals(t.workerId()))
              .filter(
                  t ->
                      filter.projects() == null
                          || jobs.findById(t.jobId())
                              .map(j -> filter.projects().contains(j.definition().project()))
                              .orElse(false))
              .limit(MAX_TASKS_SHOWN)
              .map(
                  t ->
                      new HeldTask(
                          t.jobId(),
                          t.runId(),
                          t.index(),
                          t.leaseExpiresAt().minusSeconds(t.leaseSeconds()),
                          t.leaseExpiresAt()))
              .toList();
      found.add(
          new WorkerRecord(
              w.workerId(),
              w.hostname(),
              w.identity().labels(),
              w.queues(),
              w.identity().types(),
              scope,
              firstSeen.get(w.workerId()),
              w.seenAt(),
              w.tasksRequested(),
              w.tasksLeased(),
              held));
    }
    return found.stream().limit(filter.limit()).toList();
  }

  @Override
  public synchronized int forget(Instant notSeenSince) {
    List<String> gone =
        workers.values().stream()
            .filter(w -> w.seenAt().isBefore(notSeenSince))
            .map(Sighting::workerId)
            .toList();
    gone.forEach(
        id -> {
          workers.remove(id);
          firstSeen.remove(id);
        });
    return gone.size();
  }

  @Override
  public synchronized int activeWorkers(String queue, Instant since) {
    return (int)
        workers.values().stream()
            .filter(w -> w.queues().contains(queue) && !w.seenAt().isBefore(since))
            .count();
  }

  @Override
  public synchronized long tasksAhead(JobId jobId, int runId, Instant now, long cap) {
    JobSnapshot mine = jobs.findById(jobId).orElse(null);
    if (mine == null
        || forRun(jobId, runId).stream().noneMatch(t -> t.status() == TaskStatus.QUEUED)) {
      return 0;
    }
    String queue = mine.definition().queue();
    List<TaskKey> claimable =
        claimCandidates(new ClaimFilter(List.of(queue), null, null), now, Integer.MAX_VALUE);
    long ahead = 0;
    for (TaskKey k : claimable) {
      JobSnapshot other = jobs.findById(k.jobId()).orElseThrow();
      int byPriority = Integer.compare(mine.definition().priority(), other.definition().priority());
      boolean before =
          byPriority < 0
              || (byPriority == 0
                  && (other.createdAt().isBefore(mine.createdAt())
                      || (other.createdAt().equals(mine.createdAt())
                          && other.id().toString().compareTo(mine.id().toString()) < 0)));
      if (before) {
        ahead++;
      }
    }
    return Math.min(ahead, cap);
  }

  /** Every recorded worker (a test helper). */
  public synchronized Map<String, Sighting> workers() {
    return Map.copyOf(workers);
  }

  /** Every stored task (a test helper). */
  public synchronized List<TaskState> all() {
    return List.copyOf(tasks.values());
  }
}
