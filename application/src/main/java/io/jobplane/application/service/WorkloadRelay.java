package io.jobplane.application.service;

import io.jobplane.application.port.in.DeliverWorkloadIntentsUseCase;
import io.jobplane.application.port.out.JobLocks;
import io.jobplane.application.port.out.JobRepository;
import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.application.port.out.WorkloadIntents.Intent;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.Job;
import io.jobplane.domain.JobError;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import io.jobplane.domain.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Performs the outbox's cluster calls ({@link WorkloadIntents}) after the commits that wrote them:
 * at once on its own executor when a change commits, and from {@link #deliverDue()} for the rest.
 *
 * <p>A claim leases the intent (no lock is held during the call), so a relay that dies mid-call
 * leaves it to be claimed again when the lease ends; the calls are idempotent (the resource has the
 * placement's fixed name), so making one twice changes nothing. A job's intents go one at a time,
 * oldest first. The cluster's final refusal is recorded on the job in one transaction with the
 * intent's removal: a launch or restart it refuses ends the job REJECTED with its message, a stop
 * of a resource that is gone confirms the stop; a delete is tried until it succeeds, since its job
 * is already gone from the store. Any other failure is tried again later, backing off.
 */
public final class WorkloadRelay implements DeliverWorkloadIntentsUseCase {

  /** How long a claim keeps an intent from other relays: beyond the client's call timeouts. */
  static final Duration LEASE = Duration.ofSeconds(60);

  static final int BATCH = 50;
  static final String SOURCE = "kubernetes";
  static final String REFUSED = "CLUSTER_REFUSED";
  private static final int MAX_ERROR_LENGTH = 500;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(5);

  /** Deliveries a request may still wait for; bounded, since nested submits never wait. */
  private static final int MAX_AWAITED = 1024;

  private static final System.Logger log = System.getLogger(WorkloadRelay.class.getName());

  private final WorkloadIntents intents;
  private final WorkloadRuntime runtime;
  private final JobRepository jobs;
  private final JobLocks locks;
  private final TransactionRunner tx;
  private final Clock clock;
  private final Executor executor;
  private final Map<JobId, CompletableFuture<Optional<DomainException>>> awaited =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<JobId, CompletableFuture<Optional<DomainException>>> eldest) {
          return size() > MAX_AWAITED;
        }
      };

  public WorkloadRelay(
      WorkloadIntents intents,
      WorkloadRuntime runtime,
      JobRepository jobs,
      JobLocks locks,
      TransactionRunner tx,
      Clock clock,
      Executor executor) {
    this.intents = Objects.requireNonNull(intents, "intents");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.jobs = Objects.requireNonNull(jobs, "jobs");
    this.locks = Objects.requireNonNull(locks, "locks");
    this.tx = Objects.requireNonNull(tx, "tx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  @Override
  public int deliverDue() {
    List<Intent> claimed = intents.claim(clock.instant(), LEASE, BATCH);
    claimed.forEach(this::perform);
    return claimed.size();
  }

  /** After a commit that wrote intents of {@code job}: delivers them now, off the caller. */
  void deliverSoon(JobId job) {
    CompletableFuture<Optional<DomainException>> delivery = new CompletableFuture<>();
    synchronized (awaited) {
      awaited.put(job, delivery);
    }
    try {
      executor.execute(
          () -> {
            try {
              delivery.complete(deliverAllOf(job));
            } catch (RuntimeException e) {
              // the intents stay in the outbox for the periodic pass
              log.log(
                  System.Logger.Level.WARNING,
                  "Delivering the cluster calls of job " + job + " failed",
                  e);
              delivery.complete(Optional.empty());
            }
          });
    } catch (RejectedExecutionException shuttingDown) {
      delivery.complete(Optional.empty());
    }
  }

  /**
   * The cluster's final refusal of the calls {@link #deliverSoon} started for {@code job}, if they
   * were made within {@code wait}; empty when they were accepted, are still under way, or will be
   * tried again.
   */
  Optional<DomainException> awaitRefusal(JobId job, Duration wait) {
    CompletableFuture<Optional<DomainException>> delivery;
    synchronized (awaited) {
      delivery = awaited.remove(job);
    }
    if (delivery == null) {
      return Optional.empty();
    }
    try {
      return delivery.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The job's due intents, one after the other, while they succeed or are refused. */
  private Optional<DomainException> deliverAllOf(JobId job) {
    Optional<DomainException> refusal = Optional.empty();
    List<Intent> next = intents.claim(job, clock.instant(), LEASE);
    while (!next.isEmpty()) {
      Optional<DomainException> outcome = perform(next.get(0));
      if (outcome.isPresent()) {
        refusal = outcome;
      }
      next = intents.claim(job, clock.instant(), LEASE);
    }
    return refusal;
  }

  private Optional<DomainException> perform(Intent intent) {
    try {
      call(intent);
      intents.delivered(intent);
      return Optional.empty();
    } catch (DomainException refusal) {
      if (intent.kind() == WorkloadIntents.Kind.DELETE) {
        retryLater(intent, refusal);
        return Optional.empty();
      }
      tx.inTransaction(
          () -> {
            settle(intent, refusal);
            intents.delivered(intent);
            return null;
          });
      // a refused launch or restart rejected the job: its caller hears why; a refused stop shows
      // on the job (stopped, or still stopping) and is logged
      return intent.kind() == WorkloadIntents.Kind.STOP ? Optional.empty() : Optional.of(refusal);
    } catch (RuntimeException e) {
      retryLater(intent, e);
      return Optional.empty();
    }
  }

  private void call(Intent intent) {
    switch (intent.kind()) {
      case DELETE -> runtime.delete(intent.namespace(), intent.resourceName());
      // a job deleted since calls nothing here: its DELETE intent comes next
      case LAUNCH -> jobs.findById(intent.job()).ifPresent(runtime::launch);
      case STOP -> jobs.findById(intent.job()).ifPresent(runtime::stop);
      case RESTART -> jobs.findById(intent.job()).ifPresent(runtime::restart);
    }
  }

  /** Records a final refusal on the job, under its lock, when the job can still take it. */
  private void settle(Intent intent, DomainException refusal) {
    Optional<JobSnapshot> locked = locks.lockJob(intent.job(), false);
    if (locked.isEmpty()) {
      return;
    }
    Job job = Job.restore(locked.get());
    JobStatus status = locked.get().status();
    Instant now = Clocks.now(clock);
    if (intent.kind() == WorkloadIntents.Kind.STOP) {
      if (refusal.reason() == DomainException.Reason.CONFLICT && status == JobStatus.STOPPING) {
        job.confirmStopped(now, SOURCE); // its resource is gone: nothing runs any more
        jobs.update(job);
        return;
      }
      log.log(
          System.Logger.Level.WARNING,
          "The cluster refused to stop job " + intent.job() + ": " + refusal.getMessage());
      return;
    }
    if (status.canTransitionTo(JobStatus.REJECTED)) {
      job.reject(new JobError(REFUSED, truncated(refusal.getMessage())), now, SOURCE);
      jobs.update(job);
    }
  }

  private void retryLater(Intent intent, RuntimeException e) {
    Duration backoff = FIRST_RETRY.multipliedBy(1L << Math.min(intent.attempts() - 1, 16));
    Instant next = clock.instant().plus(backoff.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff);
    String error = truncated(String.valueOf(e.getMessage()));
    log.log(
        System.Logger.Level.WARNING,
        "Cluster call "
            + intent.kind()
            + " of job "
            + intent.job()
            + " failed (attempt "
            + intent.attempts()
            + "), trying again at "
            + next
            + ": "
            + error);
    intents.retry(intent, error, next);
  }

  private static String truncated(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
  }
}
