package io.jobplane.application.port.out;

import io.jobplane.domain.ProjectLimits;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable home of the projects' limits ({@link ProjectLimits}) and the counts they are held
 * against. Every method joins the caller's transaction ({@link TransactionRunner}). The claim reads
 * the limits itself, inside {@link TaskClaims#claimCandidates}, where they must hold under
 * concurrent claims.
 */
public interface ProjectLimitsStore {

  /** A project's stored limits, when they were set and by whom. */
  record StoredLimits(String project, ProjectLimits limits, Instant updatedAt, String updatedBy) {}

  /** Jobs of a project (or of one of its queues) running (RUNNING, STOPPING) and waiting. */
  record Usage(long running, long waiting) {}

  /** A project's usage, all queues together and per asked queue. */
  record ProjectUsage(Usage total, Map<String, Usage> queues) {
    public ProjectUsage {
      queues = Map.copyOf(queues);
    }
  }

  /**
   * A project's running limits as they bear on one queue, with the running jobs each is held
   * against (0 where there is no limit).
   */
  record RunningLoad(Integer projectMax, long projectRunning, Integer queueMax, long queueRunning) {

    /** The running limit that holds one more job of {@code queue} back, if one is full. */
    public Optional<ProjectLimits.Use> reached(String queue) {
      ProjectLimits.Builder limits = ProjectLimits.builder().maxRunning(projectMax);
      if (queueMax != null) {
        limits.queue(queue, new ProjectLimits.QueueLimits(queueMax, null));
      }
      return limits.build().runningLimitReached(queue, projectRunning, queueRunning);
    }
  }

  /** A store in which no project has limits (and none can be set). */
  ProjectLimitsStore NONE =
      new ProjectLimitsStore() {
        @Override
        public Optional<StoredLimits> find(String project) {
          return Optional.empty();
        }

        @Override
        public List<StoredLimits> all(int max) {
          return List.of();
        }

        @Override
        public List<StoredLimits> find(Collection<String> projects) {
          return List.of();
        }

        @Override
        public void put(String project, ProjectLimits limits, String updatedBy, Instant at) {
          throw new UnsupportedOperationException("this server stores no limits");
        }

        @Override
        public void lockAdmission(String project) {}

        @Override
        public void lockRunning(String project) {}

        @Override
        public long waitingJobs(String project, String queue, long cap) {
          return 0;
        }

        @Override
        public long runningJobs(String project, String queue) {
          return 0;
        }

        @Override
        public Optional<RunningLoad> runningLoad(String project, String queue) {
          return Optional.empty();
        }

        @Override
        public ProjectUsage usage(String project, Collection<String> queues) {
          return new ProjectUsage(new Usage(0, 0), Map.of());
        }
      };

  Optional<StoredLimits> find(String project);

  /** The stored limits of up to {@code max} projects, by project. */
  List<StoredLimits> all(int max);

  /** The stored limits of these projects (those that have any), in one read. */
  List<StoredLimits> find(Collection<String> projects);

  /** Replaces the project's limits; {@link ProjectLimits#isEmpty() empty} limits remove them. */
  void put(String project, ProjectLimits limits, String updatedBy, Instant at);

  /**
   * Serializes, until the transaction ends, whoever admits new waiting jobs to the project, so that
   * counts read after it see every job admitted before (a {@code max_queued} cannot be passed by
   * two submits that each saw room for one).
   */
  void lockAdmission(String project);

  /**
   * Waits for, and holds until the transaction ends, the lock a claim takes before it starts a job
   * of the project (a project with a running limit): whoever starts a job outside a claim (the
   * operator admitting a Kubernetes job) counts the running jobs after it and cannot pass a {@code
   * max_running} together with a claim.
   */
  void lockRunning(String project);

  /**
   * Jobs of the project waiting to run (PENDING, SUSPENDED, QUEUED), in {@code queue} only when it
   * is not null; the count may stop at {@code cap}.
   */
  long waitingJobs(String project, String queue, long cap);

  /** Jobs of the project running (RUNNING, STOPPING), in {@code queue} only when not null. */
  long runningJobs(String project, String queue);

  /**
   * The project's running limits for {@code queue} and the running jobs they count, in one read;
   * empty when neither the project nor the queue has a running limit.
   */
  Optional<RunningLoad> runningLoad(String project, String queue);

  /**
   * The running limit that holds one more job of {@code queue} back, if the project or the queue
   * has one and it is full (the same one read as {@link #runningLoad}).
   */
  default Optional<ProjectLimits.Use> runningLimitReached(String project, String queue) {
    return runningLoad(project, queue).flatMap(load -> load.reached(queue));
  }

  /** The project's running and waiting jobs, in total and in each of {@code queues}. */
  ProjectUsage usage(String project, Collection<String> queues);
}
