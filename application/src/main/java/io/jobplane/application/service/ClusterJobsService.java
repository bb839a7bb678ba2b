package io.jobplane.application.service;

import io.jobplane.application.port.in.ClusterAdmission;
import io.jobplane.application.port.in.ClusterJobsUseCase;
import io.jobplane.application.port.in.ClusterObservation;
import io.jobplane.application.port.out.JobCredentials;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.ProjectLimitsStore;
import io.jobplane.application.port.out.TelemetryRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobDefinition;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobRuntime;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import io.jobplane.domain.ProjectLimits;
import io.jobplane.domain.QueueWait;
import io.jobplane.domain.Sha256;
import io.jobplane.domain.StopMode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Mirrors what the operator observes into the store through the {@link Job} aggregate, so every
 * change is a validated transition with its timeline event. Each call works under the job's row
 * lock, like the REST control calls, so a stop over REST and an observation never interleave.
 */
public final class ClusterJobsService implements ClusterJobsUseCase {

  static final String SOURCE = "operator";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JobRepository jobs;
  private final JobLocks locks;
  private final TelemetryRepository telemetry;
  private final JobCredentials credentials;
  private final ProjectLimitsStore limits;
  private final TransactionRunner tx;
  private final Clock clock;

  public ClusterJobsService(
      JobRepository jobs,
      JobLocks locks,
      TelemetryRepository telemetry,
      JobCredentials credentials,
      ProjectLimitsStore limits,
      TransactionRunner tx,
      Clock clock) {
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public JobSnapshot register(JobId id, JobDefinition definition, String createdBy) {
    if (definition.runtime() != JobRuntime.KUBERNETES) {
      throw DomainException.invalid("runtime", "the operator registers kubernetes jobs only");
    }
    Optional<JobSnapshot> existing = tx.inTransaction(() -> jobs.findById(id));
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      return tx.inTransaction(
          () -> {
            Instant now = Clocks.now(clock);
            Job job = Job.submit(id, definition, createdBy, now, SOURCE);
            job.enqueue(now, SOURCE);
            return jobs.insert(job);
          });
    } catch (DomainException e) {
      // a concurrent register (another reconcile, or the REST submit) stored it first
      return tx.inTransaction(() -> jobs.findById(id)).orElseThrow(() -> e);
    }
  }

  @Override
  public ClusterAdmission admit(JobId id, int runId) {
    return tx.inTransaction(
        () -> {
          JobSnapshot current = locks.lockJob(id, false).orElse(null);
          if (current == null || current.runId() != runId || current.status() != JobStatus.QUEUED) {
            return ClusterAdmission.ADMITTED; // started before, or nothing to hold any more
          }
          String project = current.definition().project();
          String queue = current.definition().queue();
          if (limits.runningLoad(project, queue).isEmpty()) {
            return ClusterAdmission.ADMITTED; // no running limit: no lock, no early start
          }
          // counted after the lock, so a claim and this admission never both see the last room
          limits.lockRunning(project);
          Optional<ProjectLimits.Use> full = limits.runningLimitReached(project, queue);
          if (full.isPresent()) {
            return new ClusterAdmission(
                full.get(), QueueWait.concurrencyLimit(project, full.get(), 0, 0).message());
          }
          Job job = Job.restore(current);
          job.startAttempt(1, Clocks.now(clock), SOURCE + ": admitted under the project's limits");
          jobs.update(job);
          return ClusterAdmission.ADMITTED;
        });
  }

  @Override
  public JobSnapshot observe(JobId id, ClusterObservation o) {
    return tx.inTransaction(
        () -> {
          JobSnapshot current =
              locks
                  .lockJob(id, false)
                  .orElseThrow(
                      () ->
                          new DomainException(
                              DomainException.Reason.NOT_FOUND, "job " + id + " not found"));
          if (o.runId() < current.runId()
              || (o.runId() == current.runId() && current.status().isTerminal())) {
            return current; // an earlier run, or an outcome already stored: it stands
          }
          Job job = Job.restore(current);
          Instant now = Clocks.now(clock);
          while (job.snapshot().runId() < o.runId()) {
            if (job.status() == JobStatus.REJECTED) {
              return current;
            }
            if (!job.status().isTerminal()) {
              job.requestStop(StopMode.FORCE, null, now, SOURCE);
            }
            boolean observedRun = job.snapshot().runId() + 1 == o.runId();
            job.restart(observedRun ? o.fromCheckpoint() : null, null, now, SOURCE);
          }
          apply(job, o, now);
          if (job.uncommittedEvents().isEmpty() && sameProgress(current, job.snapshot())) {
            return current;
          }
          JobSnapshot stored = jobs.update(job);
          if (stored.status().isTerminal()) {
            if (!o.logs().isEmpty()) {
              telemetry.appendLogs(id, stored.runId(), o.logs());
            }
            if (!o.errors().isEmpty()) {
              telemetry.appendErrors(id, stored.runId(), o.errors());
            }
          }
          return stored;
        });
  }

  private static boolean sameProgress(JobSnapshot before, JobSnapshot after) {
    return Objects.equals(before.progress(), after.progress());
  }

  /** The transitions from the stored state to the observed one, in lifecycle order. */
  private static void apply(Job job, ClusterObservation o, Instant now) {
    JobStatus target = o.status();
    int maxAttempts = job.snapshot().definition().maxAttempts();
    int attempt = Math.min(o.attempt(), maxAttempts);
    switch (target) {
      case PENDING, QUEUED -> {
        if (job.status() == JobStatus.SUSPENDED) {
          job.resume(now, SOURCE);
        }
      }
      case SUSPENDED -> {
        if (job.status() == JobStatus.QUEUED || job.status() == JobStatus.PENDING) {
          job.suspend(now, SOURCE);
        }
      }
      case RUNNING -> {
        ensureRunning(job, attempt, now);
        if (job.status() == JobStatus.RUNNING && attempt > job.snapshot().attempt()) {
          JobError why =
              o.error() != null
                  ? o.error()
                  : new JobError("POD_FAILED", "a pod of attempt " + (attempt - 1) + " failed");
          job.noteAttemptFailed(attempt, why, now, SOURCE);
        }
        if (o.progress() != null && job.status().isActive()) {
          job.deriveProgress(o.progress(), now);
        }
      }
      case STOPPING -> {
        if (job.status().isActive() && job.status() != JobStatus.STOPPING) {
          job.requestStop(StopMode.GRACEFUL, null, now, SOURCE);
        }
      }
      case SUCCEEDED -> {
        ensureRunning(job, attempt, now);
        job.succeed(now, SOURCE);
      }
      case FAILED, PARTIALLY_FAILED -> {
        ensureRunning(job, attempt, now);
        JobError error =
            o.error() != null ? o.error() : new JobError("FAILED", "the batch Job failed");
        if (target == JobStatus.FAILED) {
          job.fail(error, now, SOURCE);
        } else {
          job.partiallyFail(error, now, SOURCE);
        }
      }
      case TIMED_OUT -> {
        ensureRunning(job, attempt, now);
        job.timeOut(now, SOURCE);
      }
      case STOPPED -> {
        if (job.status() == JobStatus.STOPPING) {
          job.confirmStopped(now, SOURCE);
        } else {
          job.requestStop(
              job.status().isActive() ? StopMode.FORCE : StopMode.GRACEFUL, null, now, SOURCE);
        }
      }
      case REJECTED -> {
        JobError error =
            o.error() != null ? o.error() : new JobError("REJECTED", "the resource was rejected");
        if (job.status().isActive()) {
          job.fail(error, now, SOURCE);
        } else {
          job.reject(error, now, SOURCE);
        }
      }
    }
  }

  /** A run observed past its start: a queued or suspended job starts with that attempt. */
  private static void ensureRunning(Job job, int attempt, Instant now) {
    if (job.status() == JobStatus.SUSPENDED) {
      job.resume(now, SOURCE);
    }
    if (job.status() == JobStatus.QUEUED) {
      job.startAttempt(attempt, now, SOURCE);
    }
  }

  @Override
  public void forget(JobId id, String reason) {
    tx.inTransaction(
        () -> {
          Optional<JobSnapshot> current = locks.lockJob(id, false);
          if (current.isEmpty() || current.get().status().isTerminal()) {
            return null;
          }
          Job job = Job.restore(current.get());
          Instant now = Clocks.now(clock);
          if (job.status() == JobStatus.STOPPING) {
            job.confirmStopped(now, SOURCE + ": " + reason);
          } else {
            job.requestStop(
                job.status().isActive() ? StopMode.FORCE : StopMode.GRACEFUL,
                null,
                now,
                SOURCE + ": " + reason);
          }
          jobs.update(job);
          return null;
        });
  }

  @Override
  public String issueRunCredential(JobId id, int runId) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token =
        RunCredentialsService.PREFIX
            + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    tx.inTransaction(
        () -> {
          credentials.store(Sha256.of(token), id, runId, Clocks.now(clock));
          return null;
        });
    return token;
  }
}
