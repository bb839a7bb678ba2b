package io.jobplane.application.service;

import io.jobplane.application.port.in.LeaseReport;
import io.jobplane.application.port.in.WorkerProtocolUseCase;
import io.jobplane.application.port.out.JobDependencyStore;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.JobViewReader;
import io.jobplane.application.port.out.JobViewReader.JobWithRun;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.SecretStore;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TaskRepository.ClaimFilter;
import io.jobplane.application.port.out.TaskRepository.TaskKey;
import io.jobplane.application.port.out.TaskRepository.WorkerPresence;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.security.AccessPolicy;
import io.jobplane.application.security.Caller;
import io.jobplane.application.security.Role;
import io.jobplane.application.security.SecretCipher;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.LeaseProof;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.StopMode;
import io.jobplane.domain.TaskItems;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.TaskStatus;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.telemetry.Checkpoint;
import io.jobplane.domain.telemetry.EtaEstimator;
import io.jobplane.domain.telemetry.LogLevel;
import io.jobplane.domain.telemetry.LogLine;
import io.jobplane.domain.telemetry.LogStream;
import io.jobplane.domain.telemetry.ProgressSample;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * Claims and reports, each in one transaction. A claim locks its candidate task rows (skipping
 * those other claims hold) and then their job rows in one statement (skipping busy jobs), so two
 * workers never get the same task; a report locks the job row first (a batch of reports all its
 * jobs, in id order), so all changes to one job's tasks serialize and the job-level rules always
 * see every task of the run. Claims and batches cost a number of statements that does not grow with
 * the number of tasks or reports (heartbeat telemetry aside).
 *
 * <p>Reading a job ({@link #view}) is one statement ({@link JobViewReader}); only a run with a
 * queued task adds one more, for its position in the queue.
 */
public final class WorkerProtocolService implements WorkerProtocolUseCase {

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobViewReader views;
  private final TelemetryRepository telemetry;
  private final TransactionRunner tx;
  private final Clock clock;
  private final DoubleSupplier random;
  private final SecretEnvResolver secrets;
  private final JobDependencyStore dependencies;
  private final ProjectLimitsStore limits;
  private final PresenceThrottle presence = new PresenceThrottle();
  // a worker looks for broadcasts to join at most once a second too
  private final PresenceThrottle joins = new PresenceThrottle();

  /** Most broadcasts one claim joins. */
  static final int MAX_JOINS = 10;

  /** A protocol service of a server without secrets: a job that references one fails at claim. */
  public WorkerProtocolService(
      JobRepository jobs,
      TaskRepository tasks,
      JobViewReader views,
      TelemetryRepository telemetry,
      TransactionRunner tx,
      Clock clock,
      DoubleSupplier random) {
    this(
        jobs,
        tasks,
        views,
        telemetry,
        tx,
        clock,
        random,
        SecretStore.NONE,
        new SecretCipher(SecretCipher.generateKey()));
  }

  /** {@code secrets} and {@code cipher} resolve the secret references of leased jobs' env. */
  public WorkerProtocolService(
      JobRepository jobs,
      TaskRepository tasks,
      JobViewReader views,
      TelemetryRepository telemetry,
      TransactionRunner tx,
      Clock clock,
      DoubleSupplier random,
      SecretStore secrets,
      SecretCipher cipher) {
    this(
        jobs, tasks, views, telemetry, tx, clock, random, secrets, cipher, JobDependencyStore.NONE);
  }

  /** {@code dependencies}: what a job waiting for others (depends_on) still waits for. */
  public WorkerProtocolService(
      JobRepository jobs,
      TaskRepository tasks,
      JobViewReader views,
      TelemetryRepository telemetry,
      TransactionRunner tx,
      Clock clock,
      DoubleSupplier random,
      SecretStore secrets,
      SecretCipher cipher,
      JobDependencyStore dependencies) {
    this(
        jobs,
        tasks,
        views,
        telemetry,
        tx,
        clock,
        random,
        secrets,
        cipher,
        dependencies,
        ProjectLimitsStore.NONE);
  }

  /** {@code limits}: the projects' running limits, which a waiting job may be held back by. */
  public WorkerProtocolService(
      JobRepository jobs,
      TaskRepository tasks,
      JobViewReader views,
      TelemetryRepository telemetry,
      TransactionRunner tx,
      Clock clock,
      DoubleSupplier random,
      SecretStore secrets,
      SecretCipher cipher,
      JobDependencyStore dependencies,
      ProjectLimitsStore limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.dependencies = Objects.requireNonNull(dependencies, "dependencies");
    this.secrets = new SecretEnvResolver(secrets, cipher);
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.views = Objects.requireNonNull(views, "views");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public List<Lease> claim(ClaimCommand c) {
    requireWorker(c.caller());
    ClaimFilter filter =
        new ClaimFilter(c.queues(), c.types(), c.caller().projects(), c.workerId(), c.labels());
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          if (joins.due(new WorkerPresence(c.workerId(), c.hostname(), c.queues(), 0, 0, now))) {
            joinBroadcasts(filter, now);
          }
          Map<JobId, List<TaskKey>> byJob = new LinkedHashMap<>();
          for (TaskKey key : tasks.claimCandidates(filter, now, c.maxTasks())) {
            byJob.computeIfAbsent(key.jobId(), k -> new ArrayList<>()).add(key);
          }
          List<Lease> leases = new ArrayList<>();
          if (!byJob.isEmpty()) {
            leases.addAll(lease(c, byJob, now));
          }
          WorkerPresence seen =
              new WorkerPresence(
                  c.workerId(),
                  c.hostname(),
                  c.queues(),
                  c.maxTasks(),
                  leases.size(),
                  now,
                  new TaskRepository.Identity(c.labels(), c.types(), c.caller().projects()));
          if (presence.due(seen)) {
            tasks.recordWorker(seen);
          }
          return leases;
        });
  }

  /**
   * The broadcasts that take late joiners and that this worker may join get a task bound to it (one
   * read; then, only when there are any, the jobs locked without waiting, one task insert and one
   * job write each), which the claim that follows may lease at once.
   */
  private void joinBroadcasts(ClaimFilter filter, Instant now) {
    List<JobId> joinable = tasks.joinableBroadcasts(filter, MAX_JOINS);
    if (joinable.isEmpty()) {
      return;
    }
    Map<JobId, JobRun> runs = Runs.lockAll(tasks, joinable, true);
    for (JobRun run : runs.values()) {
      JobSnapshot job = run.job().snapshot();
      WorkerPlacement p = job.definition().placement();
      boolean joins =
          p != null
              && p.includeLateJoiners()
              && (job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
              && job.desiredState() == DesiredState.RUNNING
              && job.definition().parallelism() < JobDefinition.MAX_PARALLELISM
              && p.admits(filter.labels())
              && run.tasks().stream().noneMatch(t -> filter.workerId().equals(t.boundWorker()));
      if (joins) {
        tasks.insert(List.of(run.join(filter.workerId(), tasks.lastEpoch(job.id()), now)));
        jobs.update(run.job());
      }
    }
  }

  /**
   * Leases the candidate tasks, in a number of statements that does not depend on how many: one
   * locks every candidate job (a job another transaction holds is skipped; its tasks stay for the
   * next poll), one reads their runs, one batch writes the tasks, one the jobs (and one reads and
   * one writes their events), one finds the checkpoints restarted runs name.
   */
  private List<Lease> lease(ClaimCommand c, Map<JobId, List<TaskKey>> byJob, Instant now) {
    Map<JobId, JobRun> runs = Runs.lockAll(tasks, byJob.keySet(), true);
    Map<JobId, List<TaskState>> leased = new LinkedHashMap<>();
    Map<TaskState, String> tokens = new HashMap<>();
    for (Map.Entry<JobId, List<TaskKey>> entry : byJob.entrySet()) {
      JobRun run = runs.get(entry.getKey());
      if (run == null) {
        continue;
      }
      for (TaskKey key : entry.getValue()) {
        if (key.runId() == run.job().snapshot().runId() && run.leasable(key.index(), now)) {
          String token = LeaseTokens.issue();
          TaskState task =
              run.lease(
                  key.index(),
                  c.workerId(),
                  c.hostname(),
                  c.leaseSeconds(),
                  LeaseTokens.hash(token),
                  now);
          tokens.put(task, token);
          leased.computeIfAbsent(key.jobId(), k -> new ArrayList<>()).add(task);
        }
      }
    }
    Map<JobId, Map<String, String>> env = resolveEnv(runs, leased, now);
    Map<JobId, JobSnapshot> stored = Runs.saveAll(jobs, tasks, runs.values());
    // a run restarted from a checkpoint hands it to every task's worker
    Map<JobId, String> named = new LinkedHashMap<>();
    leased.keySet().stream()
        .map(stored::get)
        .filter(j -> j.checkpointId() != null)
        .forEach(j -> named.put(j.id(), j.checkpointId()));
    Map<JobId, Checkpoint> found = named.isEmpty() ? Map.of() : telemetry.checkpoints(named);
    List<Lease> leases = new ArrayList<>();
    leased.forEach(
        (id, leasedTasks) ->
            leasedTasks.forEach(
                t ->
                    leases.add(
                        new Lease(stored.get(id), t, found.get(id), env.get(id), tokens.get(t)))));
    return leases;
  }

  /**
   * The environments of the leased jobs, secrets decrypted. A job whose reference cannot be
   * resolved (the secret or key was deleted after submit, or does not open with the server key)
   * does not run without it: its leased tasks fail at once, not retryable, with an error that names
   * the variable and the secret, and are not handed out.
   */
  private Map<JobId, Map<String, String>> resolveEnv(
      Map<JobId, JobRun> runs, Map<JobId, List<TaskState>> leased, Instant now) {
    Map<JobId, SecretEnvResolver.Resolved> resolved =
        secrets.resolve(leased.keySet().stream().map(id -> runs.get(id).job().snapshot()).toList());
    Map<JobId, Map<String, String>> env = new HashMap<>();
    for (var it = leased.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<JobId, List<TaskState>> entry = it.next();
      SecretEnvResolver.Resolved r = resolved.get(entry.getKey());
      if (r.error() == null) {
        env.put(entry.getKey(), r.env());
        continue;
      }
      JobRun run = runs.get(entry.getKey());
      for (TaskState t : entry.getValue()) {
        // the claim holds the lease it just took: it fails the task as its holder
        LeaseProof holder = new LeaseProof(t.epoch(), t.leaseTokenHash());
        run.fail(t.index(), holder, r.error(), null, false, random.getAsDouble(), now);
      }
      it.remove();
    }
    return env;
  }

  @Override
  public List<ReportOutcome> report(Caller caller, List<LeaseReport> reports) {
    requireWorker(caller);
    if (reports == null || reports.isEmpty() || reports.size() > MAX_REPORTS) {
      throw DomainException.invalid("reports", "must hold 1 to " + MAX_REPORTS + " reports");
    }
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          // every job of the batch in one statement, in id order: two batches never deadlock
          Set<JobId> ids = new LinkedHashSet<>();
          reports.forEach(r -> ids.add(r.lease().jobId()));
          Map<JobId, JobSnapshot> locked = new HashMap<>();
          // only the runs of jobs the caller may see are used; the others' tasks, read in the
          // same statement, are dropped unseen
          Map<JobId, JobRun> runs = new LinkedHashMap<>();
          Runs.lockAll(tasks, ids, false)
              .forEach(
                  (id, run) -> {
                    JobSnapshot job = run.job().snapshot();
                    locked.put(id, job);
                    if (caller.sees(job.definition().project())) {
                      runs.put(id, run);
                    }
                  });
          List<ReportOutcome> outcomes = new ArrayList<>(reports.size());
          for (LeaseReport report : reports) {
            try {
              // the project check comes first: a job the caller cannot see is missing, whatever
              // the rest of the report says (no epoch of it is ever compared, let alone named)
              AccessPolicy.visible(caller, locked.get(report.lease().jobId()));
              JobRun run = runs.get(report.lease().jobId());
              outcomes.add(run.atomically(() -> apply(run, report, now)));
            } catch (DomainException e) {
              outcomes.add(ReportOutcome.refused(report, e));
            }
          }
          Runs.saveAll(jobs, tasks, runs.values());
          outcomes.stream().filter(ReportOutcome::isAccepted).forEach(o -> record(o, now));
          return outcomes;
        });
  }

  /** One report on its run; throws (changing nothing, see {@link JobRun#atomically}) if refused. */
  private ReportOutcome apply(JobRun run, LeaseReport report, Instant now) {
    int index = report.lease().taskIndex();
    LeaseProof proof = LeaseTokens.proof(report.lease().epoch(), report.lease().leaseToken());
    if (report instanceof LeaseReport.Heartbeat h) {
      HeartbeatAnswer answer = heartbeatOn(run, index, proof, h.progress(), h.items(), now);
      return ReportOutcome.accepted(report, answer.task(), answer.stop());
    }
    TaskState task;
    if (report instanceof LeaseReport.Complete c) {
      task = run.complete(index, proof, c.outputJson(), c.changed(), now);
    } else if (report instanceof LeaseReport.Fail f) {
      task = failOn(run, index, proof, f.error(), f.exitCode(), f.retryable(), now);
    } else if (report instanceof LeaseReport.Stopped) {
      task = run.stopped(index, proof, now);
    } else {
      throw new IllegalArgumentException("unknown report " + report);
    }
    return ReportOutcome.accepted(report, task, null);
  }

  /**
   * The telemetry an accepted heartbeat carries, in the batch's transaction (the single heartbeat
   * call stores the same through {@link io.jobplane.application.port.in.TelemetryUseCase}).
   */
  private void record(ReportOutcome outcome, Instant now) {
    if (!(outcome.report() instanceof LeaseReport.Heartbeat h)) {
      return;
    }
    JobId job = h.lease().jobId();
    int runId = outcome.task().runId();
    int index = h.lease().taskIndex();
    if (h.progress() != null) {
      telemetry.appendProgress(job, runId, new ProgressSample(now, index, h.progress()));
    }
    if (h.metrics() != null) {
      telemetry.saveMetrics(job, runId, index, h.metrics());
    }
    if (h.message() != null && !h.message().isBlank()) {
      telemetry.appendLogs(
          job,
          runId,
          List.of(new LogLine(now, LogLevel.INFO, LogStream.STATUS, h.message(), null, index)));
    }
  }

  @Override
  public HeartbeatAnswer heartbeat(LeaseRef lease, Integer progress, TaskItems items) {
    return report(
        lease,
        (run, proof, now) -> heartbeatOn(run, lease.taskIndex(), proof, progress, items, now));
  }

  private static HeartbeatAnswer heartbeatOn(
      JobRun run, int index, LeaseProof proof, Integer progress, TaskItems items, Instant now) {
    TaskState t = run.heartbeat(index, proof, progress, items, now);
    JobSnapshot job = run.job().snapshot();
    StopRequest stop = null;
    if (t.stopDeadline() != null) {
      StopMode mode = job.stopMode() == null ? StopMode.GRACEFUL : job.stopMode();
      stop = new StopRequest(mode, t.stopDeadline());
    }
    return new HeartbeatAnswer(t, stop);
  }

  @Override
  public TaskState complete(LeaseRef lease, String outputJson, Boolean changed) {
    return report(
        lease,
        (run, proof, now) -> run.complete(lease.taskIndex(), proof, outputJson, changed, now));
  }

  @Override
  public TaskState fail(LeaseRef lease, JobError error, Integer exitCode, boolean retryable) {
    Objects.requireNonNull(error, "error");
    return report(
        lease,
        (run, proof, now) ->
            failOn(run, lease.taskIndex(), proof, error, exitCode, retryable, now));
  }

  private TaskState failOn(
      JobRun run,
      int index,
      LeaseProof proof,
      JobError error,
      Integer exitCode,
      boolean retryable,
      Instant now) {
    return run.fail(index, proof, error, exitCode, retryable, random.getAsDouble(), now);
  }

  @Override
  public TaskState stopped(LeaseRef lease) {
    return report(lease, (run, proof, now) -> run.stopped(lease.taskIndex(), proof, now));
  }

  @Override
  public List<TaskState> tasks(Caller caller, JobId jobId) {
    return read(caller, jobId, Clocks.now(clock)).tasks();
  }

  @Override
  public Optional<QueueWait> waiting(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    return waiting(read(caller, jobId, now), now);
  }

  @Override
  public JobView view(Caller caller, JobId jobId) {
    Instant now = Clocks.now(clock);
    JobWithRun read = read(caller, jobId, now);
    JobSnapshot job = read.job();
    Long eta =
        job.status().isTerminal() ? null : EtaEstimator.estimateSecondsRemaining(read.progress());
    return new JobView(job, read.tasks(), waiting(read, now), eta);
  }

  /**
   * The job, its run's tasks and, while unfinished, its progress samples and its queue's active
   * workers, in one statement; a job the caller may not see is NOT_FOUND before anything is used.
   */
  private JobWithRun read(Caller caller, JobId jobId, Instant now) {
    AccessPolicy.requireRead(caller);
    JobWithRun read =
        views.read(jobId, EtaEstimator.WINDOW, now.minus(QueueWait.ACTIVE_WINDOW)).orElse(null);
    AccessPolicy.visible(caller, read == null ? null : read.job());
    return read;
  }

  private Optional<QueueWait> waiting(JobWithRun read, Instant now) {
    JobSnapshot job = read.job();
    if (job.status() == JobStatus.SUSPENDED) {
      return Optional.of(QueueWait.suspended(read.activeWorkers()));
    }
    if (job.status() == JobStatus.PENDING) {
      return dependencies
          .standing(job.id())
          .map(s -> QueueWait.dependencies(s.waitingFor(), read.activeWorkers()));
    }
    if (!(job.status() == JobStatus.QUEUED || job.status() == JobStatus.RUNNING)
        || job.desiredState() != DesiredState.RUNNING) {
      return Optional.empty();
    }
    if (job.definition().runtime() == JobRuntime.KUBERNETES) {
      // no tasks: a queued Kubernetes job waits only for the operator's admission (its limits)
      return job.status() == JobStatus.QUEUED
          ? heldByLimit(job)
              .map(
                  use ->
                      QueueWait.concurrencyLimit(
                          job.definition().project(), use, 0, read.activeWorkers()))
          : Optional.empty();
    }
    Instant earliest =
        read.tasks().stream()
            .filter(t -> t.status() == TaskStatus.QUEUED)
            .map(TaskState::availableAt)
            .min(Comparator.naturalOrder())
            .orElse(null);
    if (earliest == null) {
      return Optional.empty(); // nothing of this run waits in the queue
    }
    // the one read a GET adds: the queue position depends on other jobs' tasks; bounded, past
    // the cap the position is reported as a lower bound
    long ahead = tasks.tasksAhead(job.id(), job.runId(), now, QueueWait.POSITION_CAP);
    QueueWait wait =
        QueueWait.decide(job.definition().queue(), ahead, read.activeWorkers(), earliest, now);
    WorkerPlacement placement = job.definition().placement();
    if (placement != null && placement.workerSelector() != null && read.activeWorkers() > 0) {
      // a job placed by a selector adds one read: is any active worker of the queue a match?
      int matching =
          tasks
              .liveWorkers(
                  job.definition().queue(),
                  job.definition().project(),
                  job.definition().type(),
                  placement.selector(),
                  now.minus(QueueWait.ACTIVE_WINDOW),
                  1)
              .size();
      QueueWait targeted = QueueWait.forSelector(wait, placement.workerSelector(), matching);
      if (targeted.reason() == QueueWait.Reason.NO_MATCHING_WORKER) {
        return Optional.of(targeted); // nothing will claim it, whatever its limits
      }
    }
    if (job.status() != JobStatus.QUEUED || wait.reason() == QueueWait.Reason.NO_WORKER) {
      // a running job's further tasks are never held by a limit; no worker is the first problem
      return Optional.of(wait);
    }
    return Optional.of(
        heldByLimit(job)
            .map(
                use ->
                    QueueWait.concurrencyLimit(
                        job.definition().project(), use, ahead, read.activeWorkers()))
            .orElse(wait));
  }

  /**
   * The running limit that holds a queued job back, if its project has one and it is full (one
   * read, the limits and the counts together).
   */
  private Optional<ProjectLimits.Use> heldByLimit(JobSnapshot job) {
    String queue = job.definition().queue();
    return tx.inTransaction(() -> limits.runningLoad(job.definition().project(), queue))
        .flatMap(load -> load.reached(queue));
  }

  private interface Report<T> {
    T apply(JobRun run, LeaseProof proof, Instant now);
  }

  private static LeaseProof proof(LeaseRef lease) {
    return LeaseTokens.proof(lease.epoch(), lease.leaseToken());
  }

  private <T> T report(LeaseRef lease, Report<T> change) {
    requireWorker(lease.caller());
    // a report without its lease token is malformed, whatever job it names; hashed once
    LeaseProof proof = proof(lease);
    return tx.inTransaction(
        () -> {
          JobRun run = Runs.lockAll(tasks, List.of(lease.jobId()), false).get(lease.jobId());
          AccessPolicy.visible(lease.caller(), run == null ? null : run.job().snapshot());
          T result = change.apply(run, proof, Clocks.now(clock));
          Runs.save(jobs, tasks, run);
          return result;
        });
  }

  static void requireWorker(Caller caller) {
    if (caller.run() != null) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "a run credential reports telemetry for its own Kubernetes job; it cannot lease tasks");
    }
    if (!caller.has(Role.WORKER)) {
      throw new DomainException(
          DomainException.Reason.FORBIDDEN,
          "token '" + caller.name() + "' may not use the worker protocol (role worker needed)");
    }
  }
}
