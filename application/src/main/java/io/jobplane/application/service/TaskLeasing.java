package io.jobplane.application.service;

import io.jobplane.application.port.in.WorkerProtocolUseCase.ClaimCommand;
import io.jobplane.application.port.in.WorkerProtocolUseCase.Lease;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TaskClaims;
import io.jobplane.application.port.out.TaskClaims.ClaimFilter;
import io.jobplane.application.port.out.TaskClaims.TaskKey;
import io.jobplane.application.port.out.TaskRepository;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkerPresence;
import io.jobplane.application.port.out.WorkerPresence.Sighting;
import io.jobplane.domain.DesiredState;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRun;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.LeaseProof;
import io.jobplane.domain.TaskState;
import io.jobplane.domain.WorkerPlacement;
import io.jobplane.domain.telemetry.Checkpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * The claim of {@link WorkerProtocolService}, in one transaction: it locks its candidate task rows
 * (skipping those other claims hold) and then their job rows in one statement (skipping busy jobs),
 * so two workers never get the same task, in a number of statements that does not grow with the
 * number of tasks. Before it, a worker joins the broadcasts that take late joiners; after it, its
 * presence is recorded.
 */
final class TaskLeasing {

  /** Most broadcasts one claim joins. */
  static final int MAX_JOINS = 10;

  private final JobRepository jobs;
  private final TaskRepository tasks;
  private final JobLocks locks;
  private final TaskClaims claims;
  private final WorkerPresence presence;
  private final TelemetryRepository telemetry;
  private final TransactionRunner tx;
  private final Clock clock;
  private final DoubleSupplier random;
  private final SecretEnvResolver secrets;
  private final PresenceThrottle sightings = new PresenceThrottle();
  // a worker looks for broadcasts to join at most once a second too
  private final PresenceThrottle joins = new PresenceThrottle();

  /** Reads its collaborators from a validated builder, once. */
  TaskLeasing(WorkerProtocolService.Builder b) {
    this.jobs = b.jobs;
    this.tasks = b.tasks;
    this.locks = b.locks;
    this.claims = b.claims;
    this.presence = b.presence;
    this.telemetry = b.telemetry;
    this.tx = b.tx;
    this.clock = b.clock;
    this.random = b.random;
    this.secrets = new SecretEnvResolver(b.secrets, b.cipher);
  }

  List<Lease> claim(ClaimCommand c) {
    ClaimFilter filter =
        new ClaimFilter(c.queues(), c.types(), c.caller().projects(), c.workerId(), c.labels());
    return tx.inTransaction(
        () -> {
          Instant now = Clocks.now(clock);
          if (joins.due(new Sighting(c.workerId(), c.hostname(), c.queues(), 0, 0, now))) {
            joinBroadcasts(filter, now);
          }
          Map<JobId, List<TaskKey>> byJob = new LinkedHashMap<>();
          for (TaskKey key : claims.claimCandidates(filter, now, c.maxTasks())) {
            byJob.computeIfAbsent(key.jobId(), k -> new ArrayList<>()).add(key);
          }
          List<Lease> leases = new ArrayList<>();
          if (!byJob.isEmpty()) {
            // the clock read again: the candidates may have waited for a limited project's lock,
            // and a start recorded before that wait could precede the end of the job whose room
            // it takes
            leases.addAll(lease(c, byJob, Clocks.now(clock)));
          }
          Sighting seen =
              new Sighting(
                  c.workerId(),
                  c.hostname(),
                  c.queues(),
                  c.maxTasks(),
                  leases.size(),
                  now,
                  new WorkerPresence.Identity(c.labels(), c.types(), c.caller().projects()));
          if (sightings.due(seen)) {
            presence.recordWorker(seen);
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
    List<JobId> joinable = claims.joinableBroadcasts(filter, MAX_JOINS);
    if (joinable.isEmpty()) {
      return;
    }
    Map<JobId, JobRun> runs = Runs.lockAll(locks, joinable, true);
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
    Map<JobId, JobRun> runs = Runs.lockAll(locks, byJob.keySet(), true);
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
}
