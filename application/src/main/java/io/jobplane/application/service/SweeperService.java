package io.jobplane.application.service;

import io.jobplane.application.port.in.SweeperUseCase;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskSweeps;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerRegistry;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Applies what time decides ({@link JobRun#sweep}): expired leases are retried with backoff (or
 * fail when attempts are used up), jobs past their timeout time out with their leases revoked,
 * overdue graceful stops are forced, and workers not seen for the expiry are forgotten. Each job is
 * handled in its own transaction under its row lock taken with SKIP LOCKED, so several server
 * replicas can sweep at once: a job another replica (or a report) holds is left for the next sweep,
 * and conditions are re-checked under the lock.
 */
public final class SweeperService implements SweeperUseCase {

  static final int BATCH = 500;

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobLocks locks;
  private final TaskSweeps sweeps;
  private final WorkerPresence presence;
  private final TransactionRunner tx;
  private final DoubleSupplier random;

  /** The default of {@code serve --worker-expiry-seconds}. */
  public static final Duration DEFAULT_WORKER_EXPIRY = Duration.ofMinutes(10);

  /**
   * The workers' rows are forgotten at most this often: they expire after minutes, and a sweep runs
   * every second.
   */
  static final Duration FORGET_EVERY = Duration.ofSeconds(30);

  private final WorkerRegistry workers;
  private final Duration workerExpiry;
  private volatile Instant lastForget = Instant.MIN;

  /**
   * {@code workers}: whose rows are deleted once not seen for {@code workerExpiry} (at least {@link
   * QueueWait#ACTIVE_WINDOW}, so no live worker is forgotten); null leaves the rows alone.
   */
  public SweeperService(
      JobRepository jobs,
      TaskRepository tasks,
      JobLocks locks,
      TaskSweeps sweeps,
      WorkerPresence presence,
      TransactionRunner tx,
      DoubleSupplier random,
      WorkerRegistry workers,
      Duration workerExpiry) {
    Objects.requireNonNull(workerExpiry, "workerExpiry");
    if (workerExpiry.compareTo(QueueWait.ACTIVE_WINDOW) < 0) {
      throw new IllegalArgumentException(
          "the worker expiry must be at least " + QueueWait.ACTIVE_WINDOW.toSeconds() + " s");
    }
    this.workers = workers;
    this.workerExpiry = workerExpiry;
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.sweeps = Objects.requireNonNull(sweeps, "sweeps");
    this.presence = Objects.requireNonNull(presence, "presence");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public SweepResult sweep(Instant at) {
    Instant now = at.truncatedTo(ChronoUnit.MICROS);
    int touched = 0;
    int expired = 0;
    int timedOut = 0;
    int forced = 0;
    for (JobId id : tx.inTransaction(() -> sweeps.jobsToSweep(now, BATCH))) {
      JobRun.Swept swept =
          tx.inTransaction(
              () -> {
                JobSnapshot locked = locks.lockJob(id, true).orElse(null);
                if (locked == null) {
                  return null;
                }
                JobRun run = Runs.of(tasks, locked);
                JobRun.Swept s = run.sweep(random.getAsDouble(), now);
                Runs.save(jobs, tasks, run);
                return s;
              });
      if (swept != null && swept.any()) {
        touched++;
        expired += swept.expiredLeases();
        timedOut += swept.timedOutTasks();
        forced += swept.forcedStops();
      }
    }
    int lost = failLostAgents(now);
    return new SweepResult(touched, expired, timedOut, forced, forgetWorkers(now), lost);
  }

  /**
   * Queued tasks of broadcasts whose worker went away before leasing them (not seen within {@link
   * QueueWait#ACTIVE_WINDOW}) fail as AGENT_LOST, each job in its own transaction under its lock.
   */
  private int failLostAgents(Instant now) {
    Instant since = now.minus(QueueWait.ACTIVE_WINDOW);
    int failed = 0;
    for (JobId id : tx.inTransaction(() -> sweeps.jobsWithLostWorkers(since, BATCH))) {
      failed +=
          tx.inTransaction(
              () -> {
                JobSnapshot locked = locks.lockJob(id, true).orElse(null);
                if (locked == null) {
                  return 0;
                }
                JobRun run = Runs.of(tasks, locked);
                Set<String> bound = new HashSet<>();
                run.tasks().stream()
                    .filter(t -> t.status() == TaskStatus.QUEUED && t.boundWorker() != null)
                    .forEach(t -> bound.add(t.boundWorker()));
                // re-checked under the lock: a worker may have claimed since
                int n =
                    run.agentsLost(
                        presence.lostWorkers(bound, since), QueueWait.ACTIVE_WINDOW, now);
                Runs.save(jobs, tasks, run);
                return n;
              });
    }
    return failed;
  }

  /** Deletes the rows of workers not seen for the expiry, every {@link #FORGET_EVERY} at most. */
  private int forgetWorkers(Instant now) {
    if (workers == null || now.isBefore(lastForget.plus(FORGET_EVERY))) {
      return 0;
    }
    lastForget = now;
    return tx.inTransaction(() -> workers.forget(now.minus(workerExpiry)));
  }
}
