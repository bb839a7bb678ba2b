package io.jobplane.application.service;

import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDependencies;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.TimelineEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job repository every service writes through: when a stored change ends a job, the jobs that
 * wait for it ({@code depends_on}) are decided in the same transaction. A waiting job whose
 * dependencies all ended as required is queued (its tasks created then); one whose dependency ended
 * otherwise ends SKIPPED, which decides the jobs waiting for it in turn. Every path that ends a job
 * (a worker's report, a stop, the sweeper, the operator's mirror) stores it here, so none can miss
 * a waiting job, and a waiting job is never left behind by a rollback.
 *
 * <p>Two dependencies ending at once in two transactions are serialized on the waiting job's row
 * lock, taken before its edges are read: the second sees the first's end and releases it.
 */
public final class DependencyReleasingJobRepository extends ForwardingJobRepository {

  static final String SOURCE = "dependencies";

  private final TaskRepository tasks;
  private final JobLocks locks;
  private final JobDependencyStore dependencies;

  public DependencyReleasingJobRepository(
      JobRepository jobs, TaskRepository tasks, JobLocks locks, JobDependencyStore dependencies) {
    super(jobs);
    this.tasks = tasks;
    this.locks = locks;
    this.dependencies = dependencies;
  }

  @Override
  public JobSnapshot update(Job job) {
    Ends ended = ends(List.of(job));
    JobSnapshot stored = jobs.update(job);
    decideWaitingFor(ended);
    return stored;
  }

  @Override
  public List<JobSnapshot> updateAll(List<Job> changed) {
    Ends ended = ends(changed);
    List<JobSnapshot> stored = jobs.updateAll(changed);
    decideWaitingFor(ended);
    return stored;
  }

  /**
   * Jobs a change ended, with the status each ended as, and when the last of them ended: the time
   * of the decisions, so they follow the clock of the service that ended the jobs.
   */
  private record Ends(Map<JobId, JobStatus> statuses, Instant at) {}

  /** The jobs these changes end (a transition into a terminal status). */
  private static Ends ends(List<Job> changed) {
    Map<JobId, JobStatus> ended = new LinkedHashMap<>();
    Instant at = null;
    for (Job job : changed) {
      for (TimelineEvent e : job.uncommittedEvents()) {
        if (e.to() != null && e.to().isTerminal() && (e.from() == null || !e.from().isTerminal())) {
          ended.put(job.id(), e.to());
          at = at == null || e.timestamp().isAfter(at) ? e.timestamp() : at;
        }
      }
    }
    return new Ends(ended, at);
  }

  private void decideWaitingFor(Ends ended) {
    if (ended.statuses().isEmpty()) {
      return;
    }
    List<JobId> waiting = dependencies.recordEnds(ended.statuses());
    if (waiting.isEmpty()) {
      return;
    }
    Instant now = ended.at();
    for (JobSnapshot locked : locks.lockJobs(waiting, false)) {
      if (locked.status() != JobStatus.PENDING) {
        continue; // stopped while it waited
      }
      Optional<JobDependencies.Standing> standing = dependencies.standing(locked.id());
      if (standing.isEmpty()) {
        continue;
      }
      Job job = Job.restore(locked);
      switch (standing.get().verdict()) {
        case WAIT -> {
          continue;
        }
        case RELEASE -> {
          job.release(standing.get().dependencies(), now, SOURCE);
          JobSnapshot queued = update(job);
          tasks.insert(JobRun.newTasks(queued, 0, now));
        }
        case SKIP -> {
          JobId unmet = standing.get().firstUnacceptable().orElseThrow();
          job.skip(unmet, standing.get().endedAs().get(unmet), now, SOURCE);
          update(job);
        }
      }
    }
  }
}
