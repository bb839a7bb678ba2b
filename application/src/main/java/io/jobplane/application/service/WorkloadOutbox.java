package io.jobplane.application.service;

import io.jobplane.application.port.out.TransactionRunner;
import io.jobplane.application.port.out.WorkloadIntents;
import io.jobplane.application.port.out.WorkloadIntents.Kind;
import io.jobplane.application.port.out.WorkloadRuntime;
import io.jobplane.domain.DomainException;
import io.jobplane.domain.JobId;
import io.jobplane.domain.JobSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the services hand Kubernetes jobs to the cluster without calling it inside their
 * transactions: each change writes an intent in the transaction ({@link WorkloadIntents}) and asks
 * the {@link WorkloadRelay} to deliver it once the outermost transaction has committed. A request
 * then waits a little ({@link #requireAccepted}) so that the cluster's refusal still reaches its
 * caller when the cluster answers in time; otherwise the caller gets the job as stored and the
 * refusal shows on it later (REJECTED, with the cluster's message).
 */
public final class WorkloadOutbox {

  /** How long a request waits for the relay's first answer before answering with the job. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private final WorkloadRuntime runtime;
  private final WorkloadIntents intents;
  private final WorkloadRelay relay;
  private final TransactionRunner tx;
  private final Clock clock;
  private final Duration wait;

  public WorkloadOutbox(
      WorkloadRuntime runtime,
      WorkloadIntents intents,
      WorkloadRelay relay,
      TransactionRunner tx,
      Clock clock,
      Duration wait) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.intents = intents;
    this.relay = relay;
    this.tx = tx;
    this.clock = clock;
    this.wait = wait;
  }

  /** A server without Kubernetes: every Kubernetes job and every change of one is refused. */
  public static WorkloadOutbox disabled() {
    return new WorkloadOutbox(WorkloadRuntime.NONE, null, null, null, null, null);
  }

  private boolean enabled() {
    return runtime != WorkloadRuntime.NONE;
  }

  /** In the transaction, before the intent: the platform's checks, which need no cluster call. */
  public void admit(JobSnapshot job) {
    runtime.admit(job);
  }

  public void launch(JobSnapshot job) {
    record(job, Kind.LAUNCH);
  }

  public void stop(JobSnapshot job) {
    record(job, Kind.STOP);
  }

  public void restart(JobSnapshot job) {
    record(job, Kind.RESTART);
  }

  public void delete(JobSnapshot job) {
    record(job, Kind.DELETE);
  }

  private void record(JobSnapshot job, Kind kind) {
    if (!enabled()) {
      throw WorkloadRuntime.notEnabled();
    }
    JobId id = job.id();
    intents.add(id, kind, job.definition().kubernetes(), clock.instant());
    tx.afterCommit(() -> relay.deliverSoon(id));
  }

  /**
   * After the caller's transaction: throws the cluster's final refusal of what it just recorded for
   * {@code job}, when the relay got one within the wait. Inside an enclosing transaction nothing
   * has been delivered yet, and this returns at once.
   */
  public void requireAccepted(JobId job) {
    if (!enabled()) {
      return;
    }
    relay
        .awaitRefusal(job, wait)
        .ifPresent(
            refusal -> {
              throw new DomainException(
                  refusal.reason(),
                  refusal.getMessage() + " (job " + job + " ended REJECTED)",
                  refusal.errors());
            });
  }
}
